package dev.schedbench.sim.http;

import dev.schedbench.sim.EngineSnapshot;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * The server's {@code /metrics}: the engine's gauges and counters plus the latency histograms this
 * layer observes, under vLLM's names, help texts and bucket edges. Both generations of names are
 * served where vLLM renamed a metric ({@code gpu_cache_usage_perc} and {@code kv_cache_usage_perc},
 * {@code time_per_output_token_seconds} and {@code inter_token_latency_seconds}), so clients written
 * for vLLM 0.6 and for current vLLM both find theirs.
 */
final class ServingMetrics {

    // vLLM 0.6.x vllm/engine/metrics.py
    private static final double[] TTFT_BOUNDS = {
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0
    };
    private static final double[] TPOT_BOUNDS = {
        0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5
    };
    private static final double[] E2E_BOUNDS = {1.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0};
    // vLLM V1 vllm/v1/metrics/loggers.py
    private static final double[] ITL_BOUNDS = {
        0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0
    };

    private final String modelName;
    private final LatencyHistogram timeToFirstToken = new LatencyHistogram(TTFT_BOUNDS);
    private final LatencyHistogram timePerOutputToken = new LatencyHistogram(TPOT_BOUNDS);
    private final LatencyHistogram interTokenLatency = new LatencyHistogram(ITL_BOUNDS);
    private final LatencyHistogram e2eLatency = new LatencyHistogram(E2E_BOUNDS);

    ServingMetrics(String modelName) {
        this.modelName = modelName;
    }

    void firstToken(long sinceArrivalNanos) {
        timeToFirstToken.observeNanos(sinceArrivalNanos);
    }

    void nextToken(long sincePreviousNanos) {
        timePerOutputToken.observeNanos(sincePreviousNanos);
        interTokenLatency.observeNanos(sincePreviousNanos);
    }

    void finished(long sinceArrivalNanos) {
        e2eLatency.observeNanos(sinceArrivalNanos);
    }

    String exposition(EngineSnapshot engine) {
        PrometheusText text = new PrometheusText();
        gauge(text, "vllm:num_requests_running", "Number of requests currently running on GPU.", engine.running());
        gauge(text, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", engine.waiting());
        gauge(text, "vllm:num_requests_swapped", "Number of requests swapped to CPU.", engine.swapped());
        gauge(text, "vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage.",
                engine.gpuCacheUsage());
        gauge(text, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", engine.gpuCacheUsage());
        gauge(text, "vllm:cpu_cache_usage_perc", "CPU KV-cache usage. 1 means 100 percent usage.",
                engine.cpuCacheUsage());
        counter(text, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.",
                engine.preemptionsTotal());
        counter(text, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", engine.promptTokensTotal());
        counter(text, "vllm:generation_tokens_total", "Number of generation tokens processed.",
                engine.generationTokensTotal());
        histogram(text, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
                timeToFirstToken);
        histogram(text, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.",
                timePerOutputToken);
        histogram(text, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
                interTokenLatency);
        histogram(text, "vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.",
                e2eLatency);
        text.family("vllm:request_success_total", "Count of successfully processed requests.", "counter");
        text.sample("vllm:request_success_total", labels("finished_reason", "stop"), engine.requestsFinishedStop());
        text.sample("vllm:request_success_total", labels("finished_reason", "length"),
                engine.requestsFinishedLength());
        return text.text();
    }

    private void gauge(PrometheusText text, String name, String help, double value) {
        text.family(name, help, "gauge").sample(name, labels(), value);
    }

    private void counter(PrometheusText text, String name, String help, double value) {
        text.family(name, help, "counter").sample(name, labels(), value);
    }

    private void histogram(PrometheusText text, String name, String help, LatencyHistogram histogram) {
        text.family(name, help, "histogram");
        double[] bounds = histogram.bounds();
        long[] cumulative = histogram.cumulativeCounts();
        for (int i = 0; i < bounds.length; i++) {
            text.sample(name + "_bucket", labels("le", PrometheusText.goFloat(bounds[i])), cumulative[i]);
        }
        text.sample(name + "_bucket", labels("le", "+Inf"), cumulative[bounds.length]);
        text.sample(name + "_count", labels(), cumulative[bounds.length]);
        text.sample(name + "_sum", labels(), histogram.sumSeconds());
    }

    /** The series' labels in name order, as prometheus_client sorts them; model_name sorts after both others. */
    private SequencedMap<String, String> labels(String... extra) {
        SequencedMap<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < extra.length; i += 2) {
            labels.put(extra[i], extra[i + 1]);
        }
        labels.put("model_name", modelName);
        return labels;
    }
}
