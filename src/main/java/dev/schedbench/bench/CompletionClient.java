package dev.schedbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Streams completions from an OpenAI-compatible endpoint with {@code java.net.http}. The response body
 * is parsed where the client delivers it, without an intermediate stream or thread hand-off, and every
 * failure (refused connection, HTTP error, reset, malformed event) becomes the request's error rather
 * than an exception. Thread-safe; one per run.
 */
public final class CompletionClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2000;

    private final URI apiUrl;
    private final Optional<String> bearerToken;
    private final HttpClient http;

    /**
     * @param apiUrl      the completions endpoint
     * @param bearerToken sent as {@code Authorization: Bearer ...} when present; never logged
     */
    public CompletionClient(URI apiUrl, Optional<String> bearerToken) {
        this(apiUrl, bearerToken, HttpClients.streaming());
    }

    CompletionClient(URI apiUrl, Optional<String> bearerToken, HttpClient http) {
        this.apiUrl = apiUrl;
        this.bearerToken = bearerToken;
        this.http = http;
    }

    public URI apiUrl() {
        return apiUrl;
    }

    HttpClient http() {
        return http;
    }

    /**
     * Sends one request and blocks (cheaply, on a virtual thread) until its stream ends.
     *
     * @param sendNanos the {@link System#nanoTime()} taken just before this call; latencies count from it
     */
    public StreamOutcome stream(byte[] payload, long sendNanos, CompletionStreamParser.TokenTally tally) {
        HttpRequest.Builder request = HttpRequest.newBuilder(apiUrl)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        CompletionStreamParser parser = new CompletionStreamParser(sendNanos, tally);
        try {
            return http.send(request.build(), info -> info.statusCode() == 200
                    ? new StreamSubscriber(parser, apiUrl)
                    : errorBody(info.statusCode())).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StreamOutcome.failed("interrupted");
        } catch (IOException e) {
            return StreamOutcome.failed(describe(e, apiUrl));
        } catch (RuntimeException e) {
            return StreamOutcome.failed("client error: " + e);
        }
    }

    /** One line for an I/O failure, naming the URL where that helps. */
    static String describe(Throwable e, URI url) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        if (e instanceof ConnectException || cause instanceof ConnectException) {
            return "cannot connect to " + url + ": " + (cause.getMessage() == null ? "connection refused" : cause.getMessage());
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting to " + url + " timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "request to " + url + " timed out";
        }
        if (cause instanceof EOFException || cause instanceof ClosedChannelException) {
            return "connection closed by the server before the response ended";
        }
        String message = cause.getMessage();
        return "connection error: " + (message == null ? cause.getClass().getSimpleName() : message);
    }

    private static HttpResponse.BodySubscriber<StreamOutcome> errorBody(int status) {
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                body -> StreamOutcome.failed(httpError(status, body)));
    }

    /** {@code HTTP 400: message} from vLLM's and OpenAI's error bodies, else the body's start. */
    static String httpError(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String message = text;
        try {
            JsonNode root = JSON.readTree(text);
            if (root != null) {
                JsonNode error = root.path("error");
                if (root.path("message").isTextual()) {
                    message = root.get("message").textValue();
                } else if (error.path("message").isTextual()) {
                    message = error.get("message").textValue();
                } else if (error.isTextual()) {
                    message = error.textValue();
                } else if (root.path("detail").isTextual()) {
                    message = root.get("detail").textValue();
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // not JSON: show the text itself
        }
        if (message.length() > MAX_ERROR_BODY) {
            message = message.substring(0, MAX_ERROR_BODY) + "...";
        }
        return "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
    }

    @Override
    public void close() {
        http.close();
    }

    /** Feeds the body to the parser as the client hands it over; a settled failure stops reading. */
    private static final class StreamSubscriber implements HttpResponse.BodySubscriber<StreamOutcome> {

        private final CompletionStreamParser parser;
        private final URI url;
        private final CompletableFuture<StreamOutcome> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        StreamSubscriber(CompletionStreamParser parser, URI url) {
            this.parser = parser;
            this.url = url;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0, n = buffers.size(); i < n; i++) {
                parser.feed(buffers.get(i), now);
            }
            if (parser.failed()) {
                subscription.cancel();
                result.complete(parser.outcome());
            }
        }

        @Override
        public void onError(Throwable error) {
            parser.broken(describe(error, url));
            result.complete(parser.outcome());
        }

        @Override
        public void onComplete() {
            parser.endOfStream(System.nanoTime());
            result.complete(parser.outcome());
        }

        @Override
        public CompletionStage<StreamOutcome> getBody() {
            return result;
        }
    }

    /** A connect timeout long enough for a busy server, short enough to notice a wrong address. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
}
