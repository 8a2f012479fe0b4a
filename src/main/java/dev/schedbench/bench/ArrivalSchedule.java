package dev.schedbench.bench;

import dev.schedbench.data.NumpyLegacyRandom;
import java.util.Arrays;

/**
 * When each request of a run is sent, as offsets from the start of the run, computed before the run
 * so that sending never accumulates drift. Inter-arrival times are Gamma(shape = burstiness,
 * scale = 1 / (rate · burstiness)): mean 1/rate, coefficient of variation 1/√burstiness, Poisson at
 * burstiness 1. They are drawn exactly as vLLM's {@code benchmark_serving.py} draws them
 * ({@code np.random.seed(seed)} then one {@code np.random.gamma} per request), so a seed gives the same
 * gaps as there; unlike there, the gaps are summed into absolute send times. An infinite rate sends
 * everything at offset 0.
 */
public final class ArrivalSchedule {

    private final long[] offsetsNanos;

    private ArrivalSchedule(long[] offsetsNanos) {
        this.offsetsNanos = offsetsNanos;
    }

    public static ArrivalSchedule of(int count, double rateRps, double burstiness, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (!(rateRps > 0)) {
            throw new IllegalArgumentException("rate must be > 0 or infinite, got " + rateRps);
        }
        if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
            throw new IllegalArgumentException("burstiness must be a finite number > 0, got " + burstiness);
        }
        long[] offsets = new long[count];
        if (Double.isInfinite(rateRps)) {
            return new ArrivalSchedule(offsets);
        }
        NumpyLegacyRandom random = new NumpyLegacyRandom(seed);
        double theta = 1.0 / (rateRps * burstiness);
        double atSeconds = 0;
        for (int i = 0; i < count; i++) {
            offsets[i] = Math.round(atSeconds * 1e9);
            atSeconds += random.gamma(burstiness, theta);
        }
        return new ArrivalSchedule(offsets);
    }

    public int size() {
        return offsetsNanos.length;
    }

    /** When request {@code i} is due, in nanoseconds from the start of the run. */
    public long offsetNanos(int i) {
        return offsetsNanos[i];
    }

    public long[] offsetsNanos() {
        return offsetsNanos.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArrivalSchedule s && Arrays.equals(offsetsNanos, s.offsetsNanos);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsetsNanos);
    }

    @Override
    public String toString() {
        return "ArrivalSchedule[" + offsetsNanos.length + " sends over "
                + (offsetsNanos.length == 0 ? 0 : offsetsNanos[offsetsNanos.length - 1] / 1e9) + " s]";
    }
}
