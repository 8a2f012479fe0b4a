package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Generates oracle outputs through any OpenAI-compatible server (vLLM, the simulator, a hosted
 * endpoint): one non-streaming {@code POST /v1/completions} per prompt, {@code concurrency} in
 * flight on virtual threads. {@code usage.completion_tokens} is the token count. Connection
 * failures, 429 and 5xx are retried per {@link RetryPolicy}; other answers fail the prompt.
 */
public final class CompletionsOracleGenerator implements OracleGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

    private final HttpClient http;
    private final URI completionsUrl;
    private final Optional<String> apiKey;
    private final int concurrency;
    private final RetryPolicy retry;
    private final Sleeper sleeper;

    /**
     * @param baseUrl     server root, with or without a trailing {@code /v1}
     * @param apiKey      sent as {@code Authorization: Bearer} when present
     * @param concurrency most requests in flight
     */
    public CompletionsOracleGenerator(HttpClient http, URI baseUrl, Optional<String> apiKey, int concurrency,
                                      RetryPolicy retry, Sleeper sleeper) {
        if (concurrency < 1) {
            throw new dev.schedbench.model.UserError("--concurrency must be at least 1, got " + concurrency);
        }
        this.http = http;
        this.completionsUrl = completionsUrl(baseUrl);
        this.apiKey = apiKey;
        this.concurrency = concurrency;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    static URI completionsUrl(URI baseUrl) {
        String text = baseUrl.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("/v1/completions")) {
            return URI.create(text);
        }
        if (text.endsWith("/v1")) {
            text = text.substring(0, text.length() - 3);
        }
        return URI.create(text + "/v1/completions");
    }

    @Override
    public String describe() {
        return completionsUrl.toString();
    }

    @Override
    public void generate(List<PromptJob> jobs, OracleSettings settings, Consumer<OracleOutcome> sink) {
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<RuntimeException> sinkFailure = new AtomicReference<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PromptJob job : jobs) {
                slots.acquireUninterruptibly();
                if (sinkFailure.get() != null) {
                    slots.release();
                    break;
                }
                executor.submit(() -> {
                    try {
                        sink.accept(runWithRetries(job, settings));
                    } catch (RuntimeException e) {
                        // e.g. the progress file cannot be written: stop sending, report it once all have returned
                        sinkFailure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (sinkFailure.get() != null) {
            throw sinkFailure.get();
        }
    }

    private OracleOutcome runWithRetries(PromptJob job, OracleSettings settings) {
        Retries.Result<OracleOutcome> result;
        try {
            result = Retries.send(http, request(job, settings), retry, sleeper, response -> judge(job.index(), response));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OracleOutcome.Failed(job.index(), "interrupted");
        }
        return switch (result) {
            case Retries.Result.Answered<OracleOutcome> answered -> answered.value();
            case Retries.Result.GaveUp<OracleOutcome> gaveUp ->
                    new OracleOutcome.Failed(job.index(), gaveUp.lastProblem() + " (after " + gaveUp.attempts() + " attempts)");
        };
    }

    /** A 200 is the prompt's outcome and any other final status its failure; 429 and 5xx are tried again. */
    private static Retries.Verdict<OracleOutcome> judge(int index, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 200) {
            return new Retries.Verdict.Done<>(parse(index, response.body()));
        }
        String problem = "HTTP " + status + errorDetail(response.body());
        if (!Retries.isTransient(status)) {
            return new Retries.Verdict.Done<>(new OracleOutcome.Failed(index, problem));
        }
        return new Retries.Verdict.Transient<>(problem, Retries.retryAfter(response));
    }

    private HttpRequest request(PromptJob job, OracleSettings settings) {
        ObjectNode body = JSON.createObjectNode()
                .put("model", settings.model())
                .put("prompt", job.prompt())
                .put("max_tokens", settings.outputLen())
                .put("temperature", settings.temperature())
                .put("top_p", 1.0)
                .put("n", 1)
                .put("stream", false);
        HttpRequest.Builder builder = HttpRequest.newBuilder(completionsUrl).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        apiKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder.build();
    }

    private static OracleOutcome parse(int index, byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return new OracleOutcome.Failed(index, "the answer is not JSON");
        }
        JsonNode text = node.path("choices").path(0).path("text");
        JsonNode tokens = node.path("usage").path("completion_tokens");
        if (!text.isTextual()) {
            return new OracleOutcome.Failed(index, "the answer has no choices[0].text");
        }
        if (!tokens.canConvertToInt()) {
            return new OracleOutcome.Failed(index, "the answer has no usage.completion_tokens");
        }
        return new OracleOutcome.Generated(index, OracleOutcome.pythonLength(text.asText()), tokens.asInt());
    }

    private static String errorDetail(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode message = node.path("error").isTextual() ? node.path("error") : node.path("error").path("message");
            if (message.isMissingNode() && node.path("message").isTextual()) {
                message = node.path("message");
            }
            if (message.isTextual() && !message.asText().isBlank()) {
                return ": " + message.asText();
            }
        } catch (IOException notJson) {
            // no detail
        }
        return "";
    }
}
