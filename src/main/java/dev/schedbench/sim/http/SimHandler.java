package dev.schedbench.sim.http;

import dev.schedbench.model.UserError;
import dev.schedbench.sim.http.GenerationRequest.Api;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** vLLM's OpenAI-compatible routes, on Jetty's core handler API. */
final class SimHandler extends Handler.Abstract.NonBlocking {

    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private final ServerContext context;
    private final RequestParser parser;

    SimHandler(ServerContext context, RequestParser parser) {
        this.context = context;
        this.parser = parser;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/health" -> {
                if (allowed("GET", method, response, callback)) {
                    response.setStatus(200);
                    response.write(true, ByteBuffer.allocate(0), callback);
                }
            }
            case "/version" -> {
                if (allowed("GET", method, response, callback)) {
                    send(response, 200, JSON, context.bodies().version(), callback);
                }
            }
            case "/v1/models" -> {
                if (allowed("GET", method, response, callback)) {
                    send(response, 200, JSON, context.bodies().models(context.served(), nowSeconds(),
                            "modelperm-" + randomHex()), callback);
                }
            }
            case "/metrics" -> {
                if (allowed("GET", method, response, callback)) {
                    byte[] text = context.metrics().exposition(context.engine().snapshot())
                            .getBytes(StandardCharsets.UTF_8);
                    send(response, 200, PrometheusText.CONTENT_TYPE, text, callback);
                }
            }
            case "/tokenize" -> withBody(request, response, callback, body -> {
                RequestParser.Tokenized tokenized = parser.tokenize(body);
                send(response, 200, JSON, context.bodies().tokenize(tokenized.tokens(),
                        context.served().maxModelLen()), callback);
            });
            case "/detokenize" -> withBody(request, response, callback,
                    body -> send(response, 200, JSON, context.bodies().detokenize(parser.detokenize(body)), callback));
            case "/v1/completions" -> withBody(request, response, callback,
                    body -> generate(parser.completion(body), request, response, callback));
            case "/v1/chat/completions" -> withBody(request, response, callback,
                    body -> generate(parser.chat(body), request, response, callback));
            default -> send(response, 404, JSON, context.bodies().detail("Not Found"), callback);
        }
        return true;
    }

    private void generate(GenerationRequest generation, Request request, Response response, Callback callback) {
        String id = (generation.api() == Api.COMPLETIONS ? "cmpl-" : "chatcmpl-") + randomHex();
        // The body has been read: the socket turns readable again only if the client leaves (or pipelines).
        Optional<DisconnectWatch> watch = DisconnectWatch.of(request);
        Callback completion = watch.map(w -> w.completing(callback)).orElse(callback);
        Exchange exchange = generation.stream()
                ? new StreamingExchange(context, generation, id, response, chunkedEndPoint(request), completion)
                : new BufferedExchange(context, generation, id, response, completion);
        if (generation.stream()) {
            // set before submitting: the first token may be written from the writer thread at once
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, EVENT_STREAM);
            if (isHttp11(request)) {
                // what Jetty would choose anyway, made certain: the exchange frames its own chunks
                response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, HttpHeaderValue.CHUNKED.asString());
            }
        }
        // Jetty's failures (a write failing, the connection closing) abort the request in the engine.
        request.addFailureListener(exchange::clientGone);
        // A queued request may wait minutes for its first token; only a stalled write may time out.
        request.addIdleTimeoutListener(timeout -> false);
        try {
            context.engine().submit(exchange.simRequest(), exchange);
        } catch (UserError e) {
            response.reset();
            throw ApiError.badRequest(e.getMessage());
        }
        if (generation.stream()) {
            exchange.commitHeaders();
        }
        watch.ifPresent(DisconnectWatch::start);
    }

    /** The end point to write chunks to directly: the connection's, where the response is chunked HTTP/1.1. */
    private static Optional<EndPoint> chunkedEndPoint(Request request) {
        return isHttp11(request)
                ? Optional.of(request.getConnectionMetaData().getConnection().getEndPoint())
                : Optional.empty();
    }

    private static boolean isHttp11(Request request) {
        return request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1;
    }

    private interface BodyAction {
        void accept(String body);
    }

    private void withBody(Request request, Response response, Callback callback, BodyAction action) {
        if (!"POST".equals(request.getMethod())) {
            send(response, 405, JSON, context.bodies().detail("Method Not Allowed"), callback);
            return;
        }
        Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((body, failure) -> {
            if (failure != null) {
                callback.failed(failure);
                return;
            }
            try {
                action.accept(body);
            } catch (ApiError e) {
                send(response, e.status(), JSON, context.bodies().error(e), callback);
            } catch (RuntimeException e) {
                send(response, 500, JSON, context.bodies().error(500, "InternalServerError", String.valueOf(e)),
                        callback);
            }
        });
    }

    private boolean allowed(String expected, String method, Response response, Callback callback) {
        if (expected.equals(method)) {
            return true;
        }
        send(response, 405, JSON, context.bodies().detail("Method Not Allowed"), callback);
        return false;
    }

    private static void send(Response response, int status, String contentType, byte[] body, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** 32 hex digits, like the {@code uuid4().hex} vLLM puts in its ids. */
    private static String randomHex() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
