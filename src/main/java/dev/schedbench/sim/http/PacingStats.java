package dev.schedbench.sim.http;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How far from its due time (the end of the step that produced it) the server hands each streamed
 * token to the client's socket, measured when the write that carried it completes. The engine paces
 * steps; this is the HTTP layer's own error, early or late.
 *
 * <p>It also keeps how late the engine handed each step to the writers. The engine sleeps until then,
 * so that lateness is the machine's wake-up latency plus the step's bookkeeping: no write can beat it,
 * and where it alone is milliseconds the host, not the write path, bounds the pacing error.
 */
public final class PacingStats {

    private final Recorder errors = new Recorder(3);
    private final Recorder earlyErrors = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final Histogram totalEarly = new Histogram(3);
    private final Recorder handovers = new Recorder(3);
    private final Histogram totalHandovers = new Histogram(3);
    // the pacer's window: sizes of late (or on-time) and early errors since it last looked
    private final Recorder lateWindow = new Recorder(2);
    private final Recorder earlyWindow = new Recorder(2);
    private Histogram lateRecycled;
    private Histogram earlyRecycled;

    /** @param errorNanos write completion minus due time: negative when the token went out early */
    void record(long errorNanos) {
        if (errorNanos < 0) {
            errors.recordValue(-errorNanos);
            earlyErrors.recordValue(-errorNanos);
            earlyWindow.recordValue(-errorNanos);
        } else {
            errors.recordValue(errorNanos);
            lateWindow.recordValue(errorNanos);
        }
    }

    /** @param lateNanos when the engine handed a step to the writers, minus when it meant to */
    void recordHandover(long lateNanos) {
        handovers.recordValue(Math.max(0, lateNanos));
    }

    /**
     * The error's tails since the last call: the signed errors that {@code tailFraction} of the tokens
     * fall below and above. For the one thread that steers the lead; allocates nothing once warm.
     */
    Tails drainTails(double tailFraction) {
        lateRecycled = lateWindow.getIntervalHistogram(lateRecycled);
        earlyRecycled = earlyWindow.getIntervalHistogram(earlyRecycled);
        long late = lateRecycled.getTotalCount();
        long early = earlyRecycled.getTotalCount();
        long tokens = late + early;
        if (tokens == 0) {
            return new Tails(0, 0, 0);
        }
        double tail = Math.max(1, tailFraction * tokens);
        return new Tails(tokens, signedAtRankFromBottom(tail, early, late), signedAtRankFromTop(tail, early, late));
    }

    /** The signed error with {@code rank} tokens at or below it: deep in the early side if there are enough. */
    private long signedAtRankFromBottom(double rank, long early, long late) {
        if (early >= rank) {
            return -earlyRecycled.getValueAtPercentile(100.0 * (1 - (rank - 1) / early));
        }
        return lateRecycled.getValueAtPercentile(100.0 * (rank - early) / late);
    }

    /** The signed error with {@code rank} tokens at or above it. */
    private long signedAtRankFromTop(double rank, long early, long late) {
        if (late >= rank) {
            return lateRecycled.getValueAtPercentile(100.0 * (1 - (rank - 1) / late));
        }
        return -earlyRecycled.getValueAtPercentile(100.0 * (rank - late) / early);
    }

    /**
     * How many tokens a window held, and the signed errors (negative: early) below which and above which
     * the chosen fraction of them fell.
     */
    record Tails(long tokens, long lowNanos, long highNanos) {}

    /** Everything recorded since the server started, or since the last {@link #reset()}. */
    public synchronized Summary summary() {
        collect();
        return Summary.of(total, totalEarly, totalHandovers);
    }

    /** A point to measure from; see {@link #summarySince(Checkpoint)}. */
    public synchronized Checkpoint checkpoint() {
        collect();
        return new Checkpoint(total.copy(), totalEarly.copy(), totalHandovers.copy());
    }

    /** What was recorded after {@code checkpoint} (and before any later {@link #reset()}). */
    public synchronized Summary summarySince(Checkpoint checkpoint) {
        collect();
        Histogram since = total.copy();
        since.subtract(checkpoint.histogram());
        Histogram earlySince = totalEarly.copy();
        earlySince.subtract(checkpoint.early());
        Histogram handoversSince = totalHandovers.copy();
        handoversSince.subtract(checkpoint.handovers());
        return Summary.of(since, earlySince, handoversSince);
    }

    /** Forgets what was recorded so far, e.g. after a warm-up. */
    public synchronized void reset() {
        errors.getIntervalHistogram();
        earlyErrors.getIntervalHistogram();
        handovers.getIntervalHistogram();
        total.reset();
        totalEarly.reset();
        totalHandovers.reset();
    }

    private void collect() {
        total.add(errors.getIntervalHistogram());
        totalEarly.add(earlyErrors.getIntervalHistogram());
        totalHandovers.add(handovers.getIntervalHistogram());
    }

    /** The recorded distributions at one moment: all errors' sizes, the early ones', the handovers' lateness. */
    public record Checkpoint(Histogram histogram, Histogram early, Histogram handovers) {}

    /**
     * Token delivery error in microseconds, early or late: its size's percentiles over all tokens,
     * and how many tokens went out early; and how late the engine handed its steps over.
     */
    public record Summary(long tokens, long earlyTokens, double p50Micros, double p99Micros, double p999Micros,
            double maxMicros, Handovers handovers) {

        static Summary of(Histogram all, Histogram early, Histogram handovers) {
            return new Summary(all.getTotalCount(), early.getTotalCount(), micros(all.getValueAtPercentile(50)),
                    micros(all.getValueAtPercentile(99)), micros(all.getValueAtPercentile(99.9)),
                    micros(all.getMaxValue()), new Handovers(handovers.getTotalCount(),
                            micros(handovers.getValueAtPercentile(50)), micros(handovers.getValueAtPercentile(99)),
                            micros(handovers.getMaxValue())));
        }

        private static double micros(long nanos) {
            return nanos / 1_000.0;
        }
    }

    /** How late, in microseconds, the engine handed its steps to the writers. */
    public record Handovers(long steps, double p50Micros, double p99Micros, double maxMicros) {}
}
