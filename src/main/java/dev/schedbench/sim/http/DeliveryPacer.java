package dev.schedbench.sim.http;

import dev.schedbench.sim.StepDelivery;

/**
 * Steers how early the engine hands each step to the writers, so that the step's writes straddle its
 * end with the error's tails equally long on either side.
 *
 * <p>Every {@link #WINDOW_STEPS} steps it looks at the tokens written meanwhile: the signed error that
 * the earliest {@link #TAIL_FRACTION} of them beat and the one that the latest {@code TAIL_FRACTION}
 * exceed. It moves the lead by half the midpoint of the two, so that the tails come to be the same
 * size: earlier by at most {@link #MAX_GROWTH_NANOS}, later by at most {@link #MAX_SHRINK_NANOS}.
 * It grows slowly because a late tail may be a passing storm (thousands of requests arriving at
 * once), and a lead grown to meet it would send every batch out too early once it has passed; it
 * shrinks quickly because early writes are the lead's own doing.
 *
 * <p>Balancing the tails rather than the middle matters because they are not alike: a batch can go
 * out no earlier than its handover, so the early tail ends near the lead, while the late one runs on
 * whenever a writer loses its core. Balanced at the median, the slowest batches' last writes fall
 * milliseconds late; balanced at the tails, every batch goes out a little earlier and the largest
 * errors either way, the 99th percentile of their size, are as small as the host allows (decision
 * 0404). A lead that moves a little per window follows the time a batch takes to write (a few
 * milliseconds for hundreds of streams on two cores, microseconds for a handful) without jumping on
 * one slow step or one stalled client.
 */
final class DeliveryPacer implements StepDelivery {

    static final int WINDOW_STEPS = 16;
    static final double TAIL_FRACTION = 0.005;
    static final long MAX_GROWTH_NANOS = 50_000;
    static final long MAX_SHRINK_NANOS = 200_000;
    static final long MAX_LEAD_NANOS = 5_000_000;

    private final PacingStats pacing;
    private final ResponseWriters writers;
    /** Engine thread only. */
    private long leadNanos;
    /** Engine thread only. */
    private int stepsInWindow;
    /** When the step being run is due to be handed over, if it announced one; engine thread only. */
    private long handoverDueNanos;
    private boolean handoverExpected;

    DeliveryPacer(PacingStats pacing, ResponseWriters writers) {
        this.pacing = pacing;
        this.writers = writers;
    }

    @Override
    public long leadNanos() {
        if (++stepsInWindow >= WINDOW_STEPS) {
            stepsInWindow = 0;
            PacingStats.Tails tails = pacing.drainTails(TAIL_FRACTION);
            if (tails.tokens() > 0) {
                long midpoint = (tails.lowNanos() + tails.highNanos()) / 2;
                leadNanos = Math.clamp(leadNanos + Math.clamp(midpoint / 2, -MAX_SHRINK_NANOS, MAX_GROWTH_NANOS), 0,
                        MAX_LEAD_NANOS);
            }
        }
        return leadNanos;
    }

    @Override
    public void expect(long handoverNanos) {
        handoverDueNanos = handoverNanos;
        handoverExpected = true;
        writers.expect(handoverNanos);
    }

    @Override
    public void delivered() {
        if (handoverExpected) {
            pacing.recordHandover(System.nanoTime() - handoverDueNanos);
            handoverExpected = false;
        }
        writers.stepDelivered();
    }
}
