package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryPacerTest {

    private final PacingStats pacing = new PacingStats();
    private final DeliveryPacer pacer = new DeliveryPacer(pacing, new ResponseWriters(0));

    @Test
    void eachHandoverRecordsHowLateTheEngineHandedItsStepOver() {
        pacer.expect(System.nanoTime() - 3_000_000);
        pacer.delivered();
        pacer.expect(System.nanoTime() + 60_000_000_000L);
        pacer.delivered();
        pacer.delivered(); // a broken step's delivery announced no handover of its own: nothing to judge
        PacingStats.Handovers handovers = pacing.summary().handovers();
        assertEquals(2, handovers.steps());
        assertTrue(handovers.maxMicros() >= 3_000, "the late handover: " + handovers);
        assertEquals(0, handovers.p50Micros(), "a handover ahead of time counts as on time: " + handovers);
        pacing.reset();
        assertEquals(0, pacing.summary().handovers().steps(), "reset forgets the handovers too");
    }

    @Test
    void leadGrowsWhileTokensGoOutLateAndShrinksWhenTheyGoOutEarly() {
        assertEquals(0, pacer.leadNanos(), "no measurements: steps are handed over at their end");
        for (int step = 1; step < 5 * DeliveryPacer.WINDOW_STEPS; step++) {
            for (int token = 0; token < 256; token++) {
                pacing.record(1_000_000 + token * 10_000L);
            }
            pacer.leadNanos();
        }
        long grown = pacer.leadNanos();
        assertEquals(5 * DeliveryPacer.MAX_GROWTH_NANOS, grown, "five windows of late tokens, each moving it its most");
        for (int step = 0; step < DeliveryPacer.WINDOW_STEPS; step++) {
            for (int token = 0; token < 256; token++) {
                pacing.record(-4_000_000);
            }
            pacer.leadNanos();
        }
        assertEquals(grown - DeliveryPacer.MAX_SHRINK_NANOS, pacer.leadNanos(), "early tokens pull it back faster");
    }

    @Test
    void aWindowMovesTheLeadByHalfTheMidpointOfItsTails() {
        // 2,000 tokens, so each tail holds 10: the earliest 10 at -0.3 ms, the latest 10 at +0.36 ms
        for (int step = 1; step < DeliveryPacer.WINDOW_STEPS; step++) {
            pacer.leadNanos();
        }
        for (int i = 0; i < 10; i++) {
            pacing.record(-300_000);
            pacing.record(360_000);
        }
        for (int i = 0; i < 1_980; i++) {
            pacing.record(i % 2 == 0 ? -100_000 : 100_000);
        }
        long lead = pacer.leadNanos();
        // midpoint of the tails +30 us, so the lead grows by half of it
        assertTrue(Math.abs(lead - 15_000) <= 1_000, "lead " + lead);
    }

    @Test
    void tailsAsLongOnEitherSideLeaveTheLeadWhereItIs() {
        for (int step = 0; step < 10 * DeliveryPacer.WINDOW_STEPS; step++) {
            for (int i = 0; i < 100; i++) {
                pacing.record(i * 20_000L);
                pacing.record(-i * 20_000L);
            }
            pacer.leadNanos();
        }
        assertEquals(0, pacer.leadNanos());
    }

    @Test
    void theLeadBalancesTheTailsSoTheLargestErrorsEitherWayShrink() {
        // A model of the writers: a step's 256 tokens go out 5 us apart from the handover, the lead before
        // the step's end; one step in ten loses its core for 1.5 ms first. That slow tail is late only.
        long tailBalanced = p99OfClosedLoop();
        long medianBalanced = p99AtFixedLead(640_000); // the lead that puts half of a batch on either side
        assertTrue(tailBalanced < medianBalanced - 300_000,
                "p99 " + tailBalanced + " ns with the tails balanced, " + medianBalanced + " ns at the median");
        assertTrue(pacer.leadNanos() > 640_000, "the batch moved earlier: lead " + pacer.leadNanos());
    }

    /** The p99 of the error's size once the pacer has steered the model's lead for 2,000 steps. */
    private long p99OfClosedLoop() {
        List<Long> errors = new ArrayList<>();
        for (int step = 0; step < 3_000; step++) {
            long lead = pacer.leadNanos();
            for (long error : batch(step, lead)) {
                pacing.record(error);
                if (step >= 2_000) {
                    errors.add(Math.abs(error));
                }
            }
        }
        return p99(errors);
    }

    private static long p99AtFixedLead(long leadNanos) {
        List<Long> errors = new ArrayList<>();
        for (int step = 0; step < 1_000; step++) {
            for (long error : batch(step, leadNanos)) {
                errors.add(Math.abs(error));
            }
        }
        return p99(errors);
    }

    private static long[] batch(int step, long leadNanos) {
        long[] errors = new long[256];
        long stall = step % 10 == 0 ? 1_500_000 : 0;
        for (int token = 0; token < errors.length; token++) {
            errors[token] = -leadNanos + stall + token * 5_000L;
        }
        return errors;
    }

    private static long p99(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    @Test
    void leadStaysBetweenZeroAndItsCap() {
        for (int step = 0; step < 3 * DeliveryPacer.WINDOW_STEPS; step++) {
            pacing.record(-1_000);
            assertEquals(0, pacer.leadNanos(), "never negative");
        }
        for (int step = 0; step < 2_000; step++) {
            for (int token = 0; token < 256; token++) {
                pacing.record(50_000_000);
            }
            pacer.leadNanos();
        }
        assertEquals(DeliveryPacer.MAX_LEAD_NANOS, pacer.leadNanos(), "a stalled client cannot drag the lead past its cap");
    }

    @Test
    void summaryCountsEarlyTokensAndMeasuresBothSides() {
        pacing.record(-1_500_000);
        pacing.record(500_000);
        pacing.record(-200_000);
        pacing.record(3_000_000);
        PacingStats.Summary summary = pacing.summary();
        assertEquals(4, summary.tokens());
        assertEquals(2, summary.earlyTokens());
        assertTrue(Math.abs(summary.maxMicros() - 3_000) < 5, "max error is the latest token's: " + summary);
        PacingStats.Checkpoint checkpoint = pacing.checkpoint();
        pacing.record(-4_000_000);
        PacingStats.Summary since = pacing.summarySince(checkpoint);
        assertEquals(1, since.tokens());
        assertEquals(1, since.earlyTokens());
        assertTrue(Math.abs(since.maxMicros() - 4_000) < 5, "an early token's error counts by its size: " + since);
    }
}
