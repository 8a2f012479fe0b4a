package dev.schedbench.sim.http;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus histogram with fixed upper bounds in seconds, safe to observe from any thread. */
final class LatencyHistogram {

    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sumSeconds = new DoubleAdder();

    LatencyHistogram(double... boundsSeconds) {
        this.bounds = boundsSeconds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    void observeNanos(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < bounds.length && seconds > bounds[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        sumSeconds.add(seconds);
    }

    double[] bounds() {
        return bounds.clone();
    }

    /** Cumulative counts per bound, then the {@code +Inf} total. */
    long[] cumulativeCounts() {
        long[] cumulative = new long[counts.length()];
        long running = 0;
        for (int i = 0; i < cumulative.length; i++) {
            running += counts.get(i);
            cumulative[i] = running;
        }
        return cumulative;
    }

    double sumSeconds() {
        return sumSeconds.sum();
    }
}
