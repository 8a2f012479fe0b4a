package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryPacerTest {

    private final PacingStats pacing = new PacingStats();
    private final DeliveryPacer pacer = new DeliveryPacer(pacing, new ResponseWriters(0));

    @Test
    void leadGrowsWhileTokensGoOutLateAndShrinksWhenTheyGoOutEarly() {
        assertEquals(0, pacer.leadNanos(), "no measurements: steps are handed over at their end");
        for (int step = 0; step < 50; step++) {
            for (int token = 0; token < 256; token++) {
                pacing.record(1_000_000 + token * 10_000L);
            }
            pacer.leadNanos();
        }
        long grown = pacer.leadNanos();
        assertEquals(500_000, grown, "50 steps of late tokens move the lead by 10 us each");
        for (int step = 0; step < 20; step++) {
            for (int token = 0; token < 256; token++) {
                pacing.record(-400_000);
            }
            pacer.leadNanos();
        }
        assertEquals(grown - 200_000, pacer.leadNanos(), "early tokens pull it back at the same pace");
    }

    @Test
    void tokensWithinHalfTheLeadOfTheirDueTimeCountOnNeitherSide() {
        for (int step = 0; step < 40; step++) {
            pacing.record(1_000_000);
            pacer.leadNanos();
        }
        long lead = pacer.leadNanos();
        assertEquals(400_000, lead);
        for (int step = 0; step < 10; step++) {
            pacing.record(-190_000);
            pacing.record(190_000);
            pacing.record(-150_000);
            assertEquals(lead, pacer.leadNanos(), "close enough on either side: the lead holds");
        }
        pacing.record(-250_000);
        assertEquals(lead - 10_000, pacer.leadNanos(), "beyond half the lead early: it shrinks");
    }

    @Test
    void aBalancedStepLeavesTheLeadWhereItIs() {
        for (int token = 0; token < 100; token++) {
            pacing.record(2_000_000);
        }
        long lead = pacer.leadNanos();
        for (int token = 0; token < 100; token++) {
            pacing.record(token % 2 == 0 ? -300_000 : 300_000);
        }
        assertEquals(lead, pacer.leadNanos());
    }

    @Test
    void leadStaysBetweenZeroAndItsCap() {
        for (int step = 0; step < 10; step++) {
            pacing.record(-1_000);
            assertEquals(0, pacer.leadNanos(), "never negative");
        }
        for (int step = 0; step < 1_000; step++) {
            pacing.record(50_000_000);
            pacer.leadNanos();
        }
        assertEquals(5_000_000, pacer.leadNanos(), "a stalled client cannot drag the lead past its cap");
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
