package dev.schedbench.sim.http;

import dev.schedbench.sim.StepDelivery;

/**
 * Steers how early the engine hands each step to the writers so that the step's writes straddle its
 * end: half of the tokens a little early, half a little late. After each step the lead moves towards
 * balance by at most {@link #ADJUST_NANOS}, so it tracks the time a batch takes to write (a few
 * milliseconds for hundreds of streams on two cores, microseconds for a handful) without jumping on
 * one slow step or one stalled client.
 */
final class DeliveryPacer implements StepDelivery {

    private static final long ADJUST_NANOS = 10_000;
    private static final long MAX_LEAD_NANOS = 5_000_000;

    private final PacingStats pacing;
    private final ResponseWriters writers;
    /** Engine thread only. */
    private long leadNanos;

    DeliveryPacer(PacingStats pacing, ResponseWriters writers) {
        this.pacing = pacing;
        this.writers = writers;
    }

    @Override
    public long leadNanos() {
        PacingStats.Balance balance = pacing.drainBalance(leadNanos / 2);
        if (balance.tokens() > 0) {
            long step = ADJUST_NANOS * (balance.late() - balance.early()) / balance.tokens();
            leadNanos = Math.clamp(leadNanos + step, 0, MAX_LEAD_NANOS);
        }
        return leadNanos;
    }

    @Override
    public void expect(long handoverNanos) {
        writers.expect(handoverNanos);
    }

    @Override
    public void delivered() {
        writers.stepDelivered();
    }
}
