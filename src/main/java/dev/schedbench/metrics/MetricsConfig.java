package dev.schedbench.metrics;

import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which statistics a serving run reports, as vLLM's {@code --percentile-metrics},
 * {@code --metric-percentiles} and {@code --goodput} give them. All four latency metrics are always
 * computed; this chooses what is printed and saved, and which SLOs make a request good.
 *
 * @param percentileMetrics metrics to report, any of {@code ttft, tpot, itl, e2el}; reported in that fixed order
 * @param percentiles       percentiles to report for each, in [0, 100], in the order given
 * @param goodputSlosMs     SLO in milliseconds by metric, any of {@code ttft, tpot, e2el}; empty: no goodput
 */
public record MetricsConfig(List<String> percentileMetrics, List<Double> percentiles, Map<String, Double> goodputSlosMs) {

    /** Every latency metric, in the order vLLM prints them. */
    public static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2el");

    /** The metrics an SLO may name. */
    public static final List<String> GOODPUT_METRICS = List.of("ttft", "tpot", "e2el");

    public MetricsConfig {
        percentileMetrics = List.copyOf(percentileMetrics);
        percentiles = List.copyOf(percentiles);
        goodputSlosMs = Collections.unmodifiableMap(new LinkedHashMap<>(goodputSlosMs));
        for (String metric : percentileMetrics) {
            if (!METRICS.contains(metric)) {
                throw new UserError("Invalid metric name found in --percentile-metrics: '" + metric
                        + "'. The metric name should be one of " + pythonList(METRICS) + ".");
            }
        }
        for (double percent : percentiles) {
            if (!(percent >= 0 && percent <= 100)) {
                throw new UserError("Invalid percentile found in --metric-percentiles: " + PyFormat.repr(percent)
                        + ". Percentiles must be in the range [0, 100].");
            }
        }
        goodputSlosMs.forEach((name, valueMs) -> {
            if (!GOODPUT_METRICS.contains(name)) {
                throw new UserError("Invalid metric name found in --goodput, " + name + ": " + PyFormat.repr(valueMs)
                        + ". The service level objective name should be one of " + pythonList(GOODPUT_METRICS) + ".");
            }
            if (!(valueMs >= 0) || Double.isInfinite(valueMs)) {
                throw new UserError("Invalid value found in --goodput, " + name + ": " + PyFormat.repr(valueMs)
                        + ". The service level objective value should be a non-negative number of milliseconds.");
            }
        });
    }

    /** vLLM's defaults: {@code ttft,tpot,itl}, P99, no goodput. */
    public static MetricsConfig defaults() {
        return new MetricsConfig(List.of("ttft", "tpot", "itl"), List.of(99.0), Map.of());
    }

    public static MetricsConfig of(ServeSpec spec) {
        return new MetricsConfig(spec.percentileMetrics(), spec.metricPercentiles(), spec.goodputSlosMs());
    }

    /** Whether any SLO was given, i.e. whether goodput is reported at all. */
    public boolean hasGoodput() {
        return !goodputSlosMs.isEmpty();
    }

    /** Whether {@code metric}'s statistics are printed and saved. */
    public boolean reports(String metric) {
        return percentileMetrics.contains(metric);
    }

    /** The reported metrics in vLLM's fixed order. */
    public List<String> reportedMetrics() {
        return METRICS.stream().filter(this::reports).toList();
    }

    private static String pythonList(List<String> names) {
        return "[" + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "]";
    }
}
