package dev.schedbench.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Summary of one latency metric in milliseconds, computed as vLLM does: mean, median, population
 * standard deviation and linearly interpolated percentiles; an empty sample gives zeros.
 *
 * @param count         how many values the sample held (0 for an empty one)
 * @param percentilesMs percentile (e.g. 99.0) to value, in the order the percentiles were asked for
 */
public record MetricStats(int count, double meanMs, double medianMs, double stdMs, SequencedMap<Double, Double> percentilesMs) {

    public MetricStats {
        percentilesMs = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(percentilesMs));
    }

    /** Statistics of {@code seconds}, as vLLM's {@code np.mean(x or 0) * 1000} and friends. */
    public static MetricStats ofSeconds(double[] seconds, List<Double> percentiles) {
        double[] sample = seconds.length == 0 ? new double[] {0} : seconds;
        double[] sorted = NumpyStats.sorted(sample);
        SequencedMap<Double, Double> byPercentile = new LinkedHashMap<>();
        for (double percent : percentiles) {
            byPercentile.put(percent, NumpyStats.percentileOfSorted(sorted, percent) * 1000);
        }
        return new MetricStats(seconds.length, NumpyStats.mean(sample) * 1000, NumpyStats.median(sample) * 1000,
                NumpyStats.std(sample) * 1000, byPercentile);
    }

    /** The value at {@code percent}, which must be one of the computed percentiles. */
    public double percentileMs(double percent) {
        Double value = percentilesMs.get(percent);
        if (value == null) {
            throw new IllegalArgumentException("percentile " + percent + " was not computed; have " + percentilesMs.keySet());
        }
        return value;
    }
}
