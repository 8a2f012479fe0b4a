package dev.schedbench.metrics;

import dev.schedbench.model.RequestRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * vLLM's {@code calculate_metrics}, exactly, plus the workbench's per-class, fairness and client
 * statistics. Requests are taken in index order (vLLM's order) whatever order they finished in, so the
 * floating-point sums match vLLM's to the bit.
 */
public final class ServingMetrics {

    private static final double NANOS_PER_SECOND = 1e9;

    private ServingMetrics() {}

    /**
     * @param records          every request of the run, successful or not
     * @param durationNanos    from the start of the arrival loop to the last completion, > 0
     * @param config           percentiles and goodput SLOs
     * @param requestedRateRps the arrival rate asked for, {@link Double#POSITIVE_INFINITY} for all at once
     */
    public static BenchmarkMetrics compute(List<RequestRecord> records, long durationNanos, MetricsConfig config,
            double requestedRateRps) {
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("benchmark duration must be positive, got " + durationNanos + " ns");
        }
        List<RequestRecord> ordered = records.stream().sorted(Comparator.comparingInt(RequestRecord::index)).toList();
        double durationSeconds = durationNanos / NANOS_PER_SECOND;
        int completed = 0;
        int good = 0;
        long totalInput = 0;
        long totalOutput = 0;
        for (RequestRecord r : ordered) {
            if (r.success()) {
                completed++;
                totalInput += r.promptTokens();
                totalOutput += r.outputTokens();
                if (meetsSlos(r, config.goodputSlosMs())) {
                    good++;
                }
            }
        }
        OptionalDouble goodput = config.hasGoodput() ? OptionalDouble.of(good / durationSeconds) : OptionalDouble.empty();
        OptionalDouble bestPace = Slowdowns.bestPace(ordered);
        return new BenchmarkMetrics(
                ordered.size(),
                completed,
                ordered.size() - completed,
                totalInput,
                totalOutput,
                durationSeconds,
                completed / durationSeconds,
                goodput,
                totalOutput / durationSeconds,
                (totalInput + totalOutput) / durationSeconds,
                latencyStats(ordered, config.percentiles()),
                priorityClasses(ordered, config.percentiles(), bestPace),
                Slowdowns.fairness(ordered, bestPace),
                clientHealth(ordered, requestedRateRps));
    }

    /** ttft, tpot, itl and e2el over the successful requests among {@code records}, in vLLM's way. */
    static SequencedMap<String, MetricStats> latencyStats(List<RequestRecord> records, List<Double> percentiles) {
        List<RequestRecord> ok = records.stream().filter(RequestRecord::success).toList();
        List<Double> itls = new ArrayList<>();
        List<Double> tpots = new ArrayList<>();
        for (RequestRecord r : ok) {
            if (r.outputTokens() > 1) {
                tpots.add(tpotSeconds(r));
            }
            for (long itl : r.itlNanos()) {
                itls.add(seconds(itl));
            }
        }
        SequencedMap<String, MetricStats> stats = new LinkedHashMap<>();
        stats.put("ttft", MetricStats.ofSeconds(each(ok, r -> seconds(r.ttftNanos())), percentiles));
        stats.put("tpot", MetricStats.ofSeconds(unbox(tpots), percentiles));
        stats.put("itl", MetricStats.ofSeconds(unbox(itls), percentiles));
        stats.put("e2el", MetricStats.ofSeconds(each(ok, r -> seconds(r.e2elNanos())), percentiles));
        return stats;
    }

    /** Good iff every SLO holds; TPOT counts as 0 for a request of at most one token, as in vLLM. */
    private static boolean meetsSlos(RequestRecord r, Map<String, Double> slosMs) {
        for (Map.Entry<String, Double> slo : slosMs.entrySet()) {
            double value = switch (slo.getKey()) {
                case "ttft" -> seconds(r.ttftNanos());
                case "tpot" -> r.outputTokens() > 1 ? tpotSeconds(r) : 0;
                case "e2el" -> seconds(r.e2elNanos());
                default -> throw new IllegalStateException("MetricsConfig admitted SLO " + slo.getKey());
            };
            if (!(slo.getValue() / 1000 >= value)) {
                return false;
            }
        }
        return true;
    }

    private static List<PriorityClassStats> priorityClasses(List<RequestRecord> records, List<Double> percentiles,
            OptionalDouble bestPace) {
        TreeMap<Integer, List<RequestRecord>> byClass = new TreeMap<>();
        for (RequestRecord r : records) {
            byClass.computeIfAbsent(r.priorityClass(), c -> new ArrayList<>()).add(r);
        }
        List<PriorityClassStats> classes = new ArrayList<>();
        byClass.forEach((priorityClass, members) -> {
            long[] sent = members.stream().filter(r -> r.priority().isPresent())
                    .mapToLong(r -> r.priority().getAsLong()).toArray();
            classes.add(new PriorityClassStats(
                    priorityClass,
                    members.size(),
                    (int) members.stream().filter(RequestRecord::success).count(),
                    sent.length == 0 ? OptionalLong.empty() : OptionalLong.of(Arrays.stream(sent).min().orElseThrow()),
                    sent.length == 0 ? OptionalLong.empty() : OptionalLong.of(Arrays.stream(sent).max().orElseThrow()),
                    latencyStats(members, percentiles),
                    Slowdowns.fairness(members, bestPace)));
        });
        return classes;
    }

    private static ClientHealth clientHealth(List<RequestRecord> records, double requestedRateRps) {
        double[] lags = each(records, r -> seconds(r.sendLagNanos()));
        double[] sample = lags.length == 0 ? new double[] {0} : lags;
        double[] sorted = NumpyStats.sorted(sample);
        long[] sends = records.stream().mapToLong(RequestRecord::actualSendNanos).sorted().toArray();
        OptionalDouble achieved = OptionalDouble.empty();
        if (sends.length >= 2 && sends[sends.length - 1] > sends[0]) {
            achieved = OptionalDouble.of((sends.length - 1) / seconds(sends[sends.length - 1] - sends[0]));
        }
        return new ClientHealth(
                records.size(),
                NumpyStats.percentileOfSorted(sorted, 50) * 1000,
                NumpyStats.percentileOfSorted(sorted, 99) * 1000,
                sorted[sorted.length - 1] * 1000,
                requestedRateRps,
                achieved);
    }

    static double tpotSeconds(RequestRecord r) {
        return (seconds(r.e2elNanos()) - seconds(r.ttftNanos())) / (r.outputTokens() - 1);
    }

    static double seconds(long nanos) {
        return nanos / NANOS_PER_SECOND;
    }

    static double[] each(List<RequestRecord> records, ToDoubleFunction<RequestRecord> f) {
        return records.stream().mapToDouble(f).toArray();
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
