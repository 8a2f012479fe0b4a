package dev.schedbench.metrics;

import java.util.Arrays;

/**
 * The statistics numpy computes for vLLM's benchmark, to the last bit: pairwise summation as
 * {@code np.add.reduce}, mean as sum / n, population standard deviation, median as the mean of the two
 * middle values, and percentiles by numpy's default linear method including its two-sided lerp. Equal
 * bits matter because the result files are compared with ones vLLM wrote.
 */
public final class NumpyStats {

    /** numpy's block size below which it sums with eight accumulators instead of recursing. */
    private static final int PAIRWISE_BLOCK = 128;

    private NumpyStats() {}

    /** {@code np.sum}: pairwise summation, as numpy does for contiguous float64 arrays. */
    public static double sum(double[] values) {
        return pairwiseSum(values, 0, values.length);
    }

    /** {@code np.mean}; the input must not be empty. */
    public static double mean(double[] values) {
        requireNotEmpty(values);
        return sum(values) / values.length;
    }

    /** {@code np.std} with {@code ddof=0}; the input must not be empty. */
    public static double std(double[] values) {
        double mean = mean(values);
        double[] squares = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double deviation = values[i] - mean;
            squares[i] = deviation * deviation;
        }
        return Math.sqrt(sum(squares) / values.length);
    }

    /** {@code np.median}; the input must not be empty. */
    public static double median(double[] values) {
        double[] sorted = sorted(values);
        int half = sorted.length / 2;
        if (sorted.length % 2 == 1) {
            return sorted[half];
        }
        return (sorted[half - 1] + sorted[half]) / 2;
    }

    /** {@code np.percentile(values, percent)} with the default linear method; the input must not be empty. */
    public static double percentile(double[] values, double percent) {
        return percentileOfSorted(sorted(values), percent);
    }

    /** As {@link #percentile} for input already sorted ascending, to share one sort between several percentiles. */
    public static double percentileOfSorted(double[] sorted, double percent) {
        requireNotEmpty(sorted);
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("Percentiles must be in the range [0, 100], got " + percent);
        }
        int last = sorted.length - 1;
        double virtualIndex = last * (percent / 100);
        double previousIndex;
        int lower;
        int upper;
        if (virtualIndex >= last) {
            // numpy marks both neighbours as index -1 (the maximum) and keeps gamma relative to -1
            previousIndex = -1;
            lower = last;
            upper = last;
        } else {
            previousIndex = Math.floor(virtualIndex);
            lower = (int) previousIndex;
            upper = lower + 1;
        }
        double gamma = virtualIndex - previousIndex;
        return lerp(sorted[lower], sorted[upper], gamma);
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** numpy's {@code _lerp}: interpolates from the nearer end so that gamma 1 gives exactly b. */
    private static double lerp(double a, double b, double gamma) {
        double difference = b - a;
        if (gamma >= 0.5) {
            return b - difference * (1 - gamma);
        }
        return a + difference * gamma;
    }

    private static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double result = -0.0;
            for (int i = from; i < from + n; i++) {
                result += a[i];
            }
            return result;
        }
        if (n <= PAIRWISE_BLOCK) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                result += a[from + i];
            }
            return result;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
    }

    private static void requireNotEmpty(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("statistics of an empty list are undefined");
        }
    }
}
