package dev.schedbench.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SequencedMap;

/**
 * Everything a serving run measured: vLLM's {@code BenchmarkMetrics} (completed, token totals,
 * throughputs, goodput, ttft/tpot/itl/e2el statistics) and the workbench's additions (per priority
 * class, fairness, client health).
 *
 * @param numRequests          requests in the run
 * @param completed            successful requests
 * @param failed               failed requests
 * @param totalInputTokens     prompt tokens of the successful requests
 * @param totalOutputTokens    output tokens of the successful requests
 * @param durationSeconds      start of the arrival loop to the last completion
 * @param requestGoodput       good requests per second; empty when no SLO was given
 * @param latency              statistics of ttft, tpot, itl and e2el, in that order
 * @param priorityClasses      one entry per class present, ascending
 * @param fairness             slowdown fairness of the whole run; empty when no request qualifies
 */
public record BenchmarkMetrics(
        int numRequests,
        int completed,
        int failed,
        long totalInputTokens,
        long totalOutputTokens,
        double durationSeconds,
        double requestThroughput,
        OptionalDouble requestGoodput,
        double outputThroughput,
        double totalTokenThroughput,
        SequencedMap<String, MetricStats> latency,
        List<PriorityClassStats> priorityClasses,
        Optional<Fairness> fairness,
        ClientHealth client) {

    public BenchmarkMetrics {
        latency = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(latency));
        priorityClasses = List.copyOf(priorityClasses);
    }

    /** Statistics of one of {@code ttft, tpot, itl, e2el}. */
    public MetricStats stats(String metric) {
        return lookup(latency, metric);
    }

    static MetricStats lookup(SequencedMap<String, MetricStats> latency, String metric) {
        MetricStats stats = latency.get(metric);
        if (stats == null) {
            throw new IllegalArgumentException("unknown metric '" + metric + "'; expected one of " + MetricsConfig.METRICS);
        }
        return stats;
    }
}
