package dev.schedbench.server;

import dev.schedbench.model.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Polls a vLLM-compatible server's {@code /metrics} (vLLM itself or the simulator) and reads the
 * scheduler's state from it. Knows both generations of vLLM's names: current vLLM's
 * {@code kv_cache_usage_perc} first, 0.6's {@code gpu_cache_usage_perc} as the fallback.
 */
public final class ServerMetricsScraper {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;
    private final URI metricsUrl;
    private final Map<String, String> labels;

    /**
     * @param baseUrl   the server's root, e.g. {@code http://127.0.0.1:8000}
     * @param modelName when given, only the series labelled {@code model_name="…"} count
     */
    public ServerMetricsScraper(HttpClient client, URI baseUrl, Optional<String> modelName) {
        this.client = client;
        this.metricsUrl = baseUrl.resolve("/metrics");
        this.labels = modelName.map(name -> Map.of("model_name", name)).orElse(Map.of());
    }

    /** One scrape; a server that does not answer or answers nonsense is a {@link UserError}. */
    public ServerMetrics scrape() throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(metricsUrl).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UserError("could not read " + metricsUrl + ": " + e.getMessage()
                    + "; is the server running?", e);
        }
        if (response.statusCode() != 200) {
            throw new UserError("GET " + metricsUrl + " answered HTTP " + response.statusCode()
                    + "; the server does not export vLLM's metrics there");
        }
        try {
            return read(PrometheusScrape.parse(response.body()));
        } catch (IllegalArgumentException e) {
            throw new UserError(metricsUrl + " did not return Prometheus text: " + e.getMessage(), e);
        }
    }

    /** Reads the scheduler's state from a parsed exposition. */
    public ServerMetrics read(PrometheusScrape scrape) {
        OptionalDouble kvUsage = scrape.sum("vllm:kv_cache_usage_perc", labels);
        if (kvUsage.isEmpty()) {
            kvUsage = scrape.sum("vllm:gpu_cache_usage_perc", labels);
        }
        return new ServerMetrics(
                required(scrape, "vllm:num_requests_running"),
                required(scrape, "vllm:num_requests_waiting"),
                kvUsage.orElseThrow(() -> missing("vllm:kv_cache_usage_perc")),
                scrape.sum("vllm:num_preemptions_total", labels).orElse(0),
                scrape.sum("vllm:num_requests_swapped", labels),
                scrape.sum("vllm:cpu_cache_usage_perc", labels),
                scrape.sum("vllm:prompt_tokens_total", labels),
                scrape.sum("vllm:generation_tokens_total", labels),
                scrape.sum("vllm:request_success_total", labels));
    }

    private double required(PrometheusScrape scrape, String name) {
        return scrape.sum(name, labels).orElseThrow(() -> missing(name));
    }

    private UserError missing(String name) {
        return new UserError(metricsUrl + " has no " + name + (labels.isEmpty() ? "" : " for " + labels)
                + "; is it a vLLM server (and the right model name)?");
    }
}
