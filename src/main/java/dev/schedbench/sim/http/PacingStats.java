package dev.schedbench.sim.http;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How late the server hands each token to the client's socket, measured from the moment the engine
 * published it at the end of its step. The engine paces steps; this is the HTTP layer's own error.
 */
public final class PacingStats {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    void record(long latenessNanos) {
        recorder.recordValue(Math.max(0, latenessNanos));
    }

    /** Everything recorded since the server started, or since the last {@link #reset()}. */
    public synchronized Summary summary() {
        total.add(recorder.getIntervalHistogram());
        return Summary.of(total);
    }

    /** A point to measure from; see {@link #summarySince(Checkpoint)}. */
    public synchronized Checkpoint checkpoint() {
        total.add(recorder.getIntervalHistogram());
        return new Checkpoint(total.copy());
    }

    /** What was recorded after {@code checkpoint} (and before any later {@link #reset()}). */
    public synchronized Summary summarySince(Checkpoint checkpoint) {
        total.add(recorder.getIntervalHistogram());
        Histogram since = total.copy();
        since.subtract(checkpoint.histogram());
        return Summary.of(since);
    }

    /** Forgets what was recorded so far, e.g. after a warm-up. */
    public synchronized void reset() {
        recorder.getIntervalHistogram();
        total.reset();
    }

    /** The recorded distribution at one moment. */
    public record Checkpoint(Histogram histogram) {}

    /** Token delivery lateness in microseconds. */
    public record Summary(long tokens, double p50Micros, double p99Micros, double p999Micros, double maxMicros) {

        static Summary of(Histogram h) {
            return new Summary(h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                    micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
        }

        private static double micros(long nanos) {
            return nanos / 1_000.0;
        }
    }
}
