package dev.schedbench.metrics;

import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.ServeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The result document vLLM's {@code benchmark_serving.py} (the seed's {@code online_benchmarking.py})
 * saves, key for key and in its order, plus the workbench's own sections under separate keys.
 *
 * <p>Values are {@link String}, {@link Integer}, {@link Long}, {@link Double}, {@link List}, nested
 * {@link SequencedMap}s, and {@code null} where vLLM writes JSON {@code null}: the maps mirror a JSON
 * document, so JSON's null is kept rather than wrapped.
 */
public final class VllmResult {

    private static final int BEST_OF = 1;

    private VllmResult() {}

    /**
     * vLLM's result keys in vLLM's order. Metadata pairs come in key order (vLLM keeps command-line
     * order, which the spec does not record). The fork's {@code e2els} list sits after {@code itls}, where
     * the fork put it.
     *
     * @param date    the run's start as {@code yyyyMMdd-HHmmss}
     * @param records every request of the run; written in index order
     */
    public static SequencedMap<String, Object> document(ServeSpec spec, String date, BenchmarkMetrics m,
            List<RequestRecord> records, MetricsConfig config) {
        List<RequestRecord> ordered = records.stream().sorted(Comparator.comparingInt(RequestRecord::index)).toList();
        SequencedMap<String, Object> doc = new LinkedHashMap<>();
        doc.put("date", date);
        doc.put("backend", spec.backend());
        doc.put("model_id", spec.model());
        doc.put("tokenizer_id", spec.tokenizerId());
        doc.put("best_of", BEST_OF);
        doc.put("num_prompts", spec.numPrompts());
        spec.metadata().forEach(doc::put);
        doc.put("request_rate", rate(spec.requestRateRps()));
        doc.put("burstiness", spec.burstiness());
        doc.put("max_concurrency", spec.maxConcurrency().isPresent() ? spec.maxConcurrency().getAsInt() : null);
        doc.put("duration", m.durationSeconds());
        doc.put("completed", m.completed());
        doc.put("total_input_tokens", m.totalInputTokens());
        doc.put("total_output_tokens", m.totalOutputTokens());
        doc.put("request_throughput", m.requestThroughput());
        doc.put("request_goodput:", m.requestGoodput().isPresent() ? m.requestGoodput().getAsDouble() : null);
        doc.put("output_throughput", m.outputThroughput());
        doc.put("total_token_throughput", m.totalTokenThroughput());
        doc.put("input_lens", ordered.stream().map(RequestRecord::promptTokens).toList());
        doc.put("output_lens", ordered.stream().map(r -> r.success() ? r.outputTokens() : 0).toList());
        doc.put("ttfts", ordered.stream().map(r -> ServingMetrics.seconds(r.ttftNanos())).toList());
        doc.put("itls", ordered.stream().map(r -> Arrays.stream(r.itlNanos()).mapToObj(ServingMetrics::seconds).toList()).toList());
        doc.put("e2els", ordered.stream().map(r -> ServingMetrics.seconds(r.e2elNanos())).toList());
        doc.put("generated_texts", ordered.stream().map(RequestRecord::generatedText).toList());
        doc.put("errors", ordered.stream().map(RequestRecord::error).toList());
        for (String metric : config.reportedMetrics()) {
            putStats(doc, metric, m.stats(metric), config.percentiles());
        }
        return doc;
    }

    /**
     * The workbench's sections, each under its own key, to be written after vLLM's keys:
     * {@code schedbench_priority_classes}, {@code schedbench_fairness}, {@code schedbench_client}.
     */
    public static SequencedMap<String, Object> extras(BenchmarkMetrics m) {
        SequencedMap<String, Object> extras = new LinkedHashMap<>();
        List<Object> classes = new ArrayList<>();
        for (PriorityClassStats c : m.priorityClasses()) {
            SequencedMap<String, Object> row = new LinkedHashMap<>();
            row.put("priority_class", c.priorityClass());
            row.put("requests", c.requests());
            row.put("completed", c.completed());
            row.put("min_priority", c.minPriority().isPresent() ? c.minPriority().getAsLong() : null);
            row.put("max_priority", c.maxPriority().isPresent() ? c.maxPriority().getAsLong() : null);
            c.latency().forEach((metric, stats) -> putStats(row, metric, stats, List.copyOf(stats.percentilesMs().keySet())));
            putFairness(row, c.fairness());
            classes.add(row);
        }
        extras.put("schedbench_priority_classes", classes);

        SequencedMap<String, Object> fairness = new LinkedHashMap<>();
        fairness.put("slowdown_definition", Fairness.SLOWDOWN_DEFINITION);
        putFairness(fairness, m.fairness());
        extras.put("schedbench_fairness", fairness);

        ClientHealth h = m.client();
        SequencedMap<String, Object> client = new LinkedHashMap<>();
        client.put("num_requests", h.requests());
        client.put("failed_requests", m.failed());
        client.put("requested_rate", rate(h.requestedRateRps()));
        client.put("achieved_rate", h.achievedRateRps().isPresent() ? h.achievedRateRps().getAsDouble() : null);
        client.put("send_lag_p50_ms", h.sendLagP50Ms());
        client.put("send_lag_p99_ms", h.sendLagP99Ms());
        client.put("send_lag_max_ms", h.sendLagMaxMs());
        extras.put("schedbench_client", client);
        return extras;
    }

    /** vLLM's key for a percentile of a metric, e.g. {@code p99_ttft_ms} or {@code p99.9_ttft_ms}. */
    public static String percentileKey(double percent, String metric) {
        return "p" + PyFormat.percentileWord(percent) + "_" + metric + "_ms";
    }

    /** A rate as vLLM saves it: the number, or the string {@code "inf"}. */
    private static Object rate(double rateRps) {
        return Double.isInfinite(rateRps) ? "inf" : (Object) rateRps;
    }

    private static void putStats(Map<String, Object> target, String metric, MetricStats stats, List<Double> percentiles) {
        target.put("mean_" + metric + "_ms", stats.meanMs());
        target.put("median_" + metric + "_ms", stats.medianMs());
        target.put("std_" + metric + "_ms", stats.stdMs());
        for (double percent : percentiles) {
            target.put(percentileKey(percent, metric), stats.percentileMs(percent));
        }
    }

    private static void putFairness(Map<String, Object> target, Optional<Fairness> fairness) {
        target.put("fairness_requests", fairness.map(Fairness::requests).orElse(0));
        target.put("jain_fairness_index", fairness.map(Fairness::jainIndex).orElse(null));
        target.put("mean_slowdown", fairness.map(Fairness::meanSlowdown).orElse(null));
        target.put("median_slowdown", fairness.map(Fairness::medianSlowdown).orElse(null));
        target.put("max_slowdown", fairness.map(Fairness::maxSlowdown).orElse(null));
    }
}
