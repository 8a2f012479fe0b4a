package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code /v1/completions} server on loopback with deterministic answers: a
 * prompt of {@code c} characters gets {@code (c % max_tokens) + 1} tokens of "é😀" words. Prompts
 * containing {@code [fail:N]} answer 503 N times first; {@code [reject]} always answers 400.
 */
public final class FakeCompletionsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> failuresServed = new ConcurrentHashMap<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<Optional<String>> authorizations = new CopyOnWriteArrayList<>();
    private final long delayMillis;

    public FakeCompletionsServer(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/completions", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The tokens the server generates for a prompt. */
    public static int tokensFor(String prompt, int maxTokens) {
        return (prompt.length() % maxTokens) + 1;
    }

    /** The text it generates: that many words "é😀", space-separated: 3n - 1 code points, 4n - 1 UTF-16 units. */
    public static String textFor(String prompt, int maxTokens) {
        return String.join(" ", java.util.Collections.nCopies(tokensFor(prompt, maxTokens), "é😀"));
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public List<JsonNode> bodies() {
        return List.copyOf(bodies);
    }

    public List<Optional<String>> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                JsonNode body = JSON.readTree(ex.getRequestBody());
                bodies.add(body);
                authorizations.add(Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")));
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                String prompt = body.path("prompt").asText();
                int maxTokens = body.path("max_tokens").asInt();
                java.util.regex.Matcher fail = java.util.regex.Pattern.compile("\\[fail:(\\d+)]").matcher(prompt);
                if (fail.find() && failuresServed.computeIfAbsent(prompt, p -> new AtomicInteger()).getAndIncrement()
                        < Integer.parseInt(fail.group(1))) {
                    send(ex, 503, "{\"object\":\"error\",\"message\":\"engine overloaded\",\"type\":\"ServiceUnavailable\",\"code\":503}");
                    return;
                }
                if (prompt.contains("[reject]")) {
                    send(ex, 400, "{\"object\":\"error\",\"message\":\"This model's maximum context length is 1024 tokens.\","
                            + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}");
                    return;
                }
                int tokens = tokensFor(prompt, maxTokens);
                ObjectNode answer = JSON.createObjectNode().put("id", "cmpl-1").put("object", "text_completion")
                        .put("created", 1).put("model", body.path("model").asText());
                answer.putArray("choices").addObject().put("index", 0).put("text", textFor(prompt, maxTokens))
                        .putNull("logprobs").put("finish_reason", tokens == maxTokens ? "length" : "stop");
                answer.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", tokens).put("total_tokens", tokens + 5);
                send(ex, 200, answer.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
