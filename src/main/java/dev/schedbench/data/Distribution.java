package dev.schedbench.data;

import java.util.Arrays;

/**
 * Five numbers describing a column of a dataset. Percentiles use numpy's default linear method, so
 * they match what a researcher gets from {@code np.percentile} on the same column.
 */
public record Distribution(int count, double min, double p50, double p90, double max, double mean) {

    public static Distribution of(int[] values) {
        if (values.length == 0) {
            return new Distribution(0, 0, 0, 0, 0, 0);
        }
        double[] sorted = Arrays.stream(values).asDoubleStream().sorted().toArray();
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Distribution(values.length, sorted[0], percentile(sorted, 50), percentile(sorted, 90),
                sorted[sorted.length - 1], sum / sorted.length);
    }

    /** {@code np.percentile(sorted, percent)} (linear, with numpy's two-sided interpolation). */
    public static double percentile(double[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentile of nothing");
        }
        int last = sorted.length - 1;
        double virtualIndex = last * (percent / 100);
        if (virtualIndex >= last) {
            return sorted[last];
        }
        int lower = (int) Math.floor(virtualIndex);
        double gamma = virtualIndex - lower;
        double a = sorted[lower];
        double b = sorted[lower + 1];
        double difference = b - a;
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
    }
}
