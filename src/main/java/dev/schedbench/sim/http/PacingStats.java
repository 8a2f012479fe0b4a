package dev.schedbench.sim.http;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How far from its due time (the end of the step that produced it) the server hands each streamed
 * token to the client's socket, measured when the write that carried it completes. The engine paces
 * steps; this is the HTTP layer's own error, early or late.
 */
public final class PacingStats {

    private final Recorder errors = new Recorder(3);
    private final Recorder earlyErrors = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final Histogram totalEarly = new Histogram(3);
    private final LongAdder earlySinceBalance = new LongAdder();
    private final LongAdder lateSinceBalance = new LongAdder();
    private volatile long balanceMarginNanos;

    /** @param errorNanos write completion minus due time: negative when the token went out early */
    void record(long errorNanos) {
        long margin = balanceMarginNanos;
        if (errorNanos < 0) {
            errors.recordValue(-errorNanos);
            earlyErrors.recordValue(-errorNanos);
            if (errorNanos < -margin) {
                earlySinceBalance.increment();
            }
        } else {
            errors.recordValue(errorNanos);
            if (errorNanos > margin) {
                lateSinceBalance.increment();
            }
        }
    }

    /**
     * Tokens written more than {@code marginNanos} early and late since the last call, counting from
     * now on with the new margin; for the one thread that steers the lead.
     */
    Balance drainBalance(long marginNanos) {
        balanceMarginNanos = marginNanos;
        return new Balance(earlySinceBalance.sumThenReset(), lateSinceBalance.sumThenReset());
    }

    /** Counts of tokens written clearly before and after their due time. */
    record Balance(long early, long late) {

        long tokens() {
            return early + late;
        }
    }

    /** Everything recorded since the server started, or since the last {@link #reset()}. */
    public synchronized Summary summary() {
        collect();
        return Summary.of(total, totalEarly);
    }

    /** A point to measure from; see {@link #summarySince(Checkpoint)}. */
    public synchronized Checkpoint checkpoint() {
        collect();
        return new Checkpoint(total.copy(), totalEarly.copy());
    }

    /** What was recorded after {@code checkpoint} (and before any later {@link #reset()}). */
    public synchronized Summary summarySince(Checkpoint checkpoint) {
        collect();
        Histogram since = total.copy();
        since.subtract(checkpoint.histogram());
        Histogram earlySince = totalEarly.copy();
        earlySince.subtract(checkpoint.early());
        return Summary.of(since, earlySince);
    }

    /** Forgets what was recorded so far, e.g. after a warm-up. */
    public synchronized void reset() {
        errors.getIntervalHistogram();
        earlyErrors.getIntervalHistogram();
        total.reset();
        totalEarly.reset();
    }

    private void collect() {
        total.add(errors.getIntervalHistogram());
        totalEarly.add(earlyErrors.getIntervalHistogram());
    }

    /** The recorded distributions at one moment: all errors' sizes, and the early ones'. */
    public record Checkpoint(Histogram histogram, Histogram early) {}

    /**
     * Token delivery error in microseconds, early or late: its size's percentiles over all tokens,
     * and how many tokens went out early.
     */
    public record Summary(long tokens, long earlyTokens, double p50Micros, double p99Micros, double p999Micros,
            double maxMicros) {

        static Summary of(Histogram all, Histogram early) {
            return new Summary(all.getTotalCount(), early.getTotalCount(), micros(all.getValueAtPercentile(50)),
                    micros(all.getValueAtPercentile(99)), micros(all.getValueAtPercentile(99.9)),
                    micros(all.getMaxValue()));
        }

        private static double micros(long nanos) {
            return nanos / 1_000.0;
        }
    }
}
