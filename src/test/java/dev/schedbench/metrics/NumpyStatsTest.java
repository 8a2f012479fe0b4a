package dev.schedbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-checkable cases; the golden sets check the bits against numpy itself. */
class NumpyStatsTest {

    private static final double[] ONE_TO_FOUR = {4, 1, 3, 2};

    @Test
    void percentilesInterpolateLinearlyBetweenNeighbours() {
        assertEquals(1.0, NumpyStats.percentile(ONE_TO_FOUR, 0));
        assertEquals(2.5, NumpyStats.percentile(ONE_TO_FOUR, 50));
        assertEquals(3.97, NumpyStats.percentile(ONE_TO_FOUR, 99), 1e-12);
        assertEquals(4.0, NumpyStats.percentile(ONE_TO_FOUR, 100));
        assertEquals(7.0, NumpyStats.percentile(new double[] {7}, 99.9));
    }

    @Test
    void meanMedianAndPopulationStd() {
        assertEquals(2.5, NumpyStats.mean(ONE_TO_FOUR));
        assertEquals(2.5, NumpyStats.median(ONE_TO_FOUR));
        assertEquals(3.0, NumpyStats.median(new double[] {5, 3, 1}));
        assertEquals(Math.sqrt(1.25), NumpyStats.std(ONE_TO_FOUR), "divides by n, not n - 1");
    }

    @Test
    void emptyInputAndOutOfRangePercentilesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NumpyStats.mean(new double[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NumpyStats.percentile(ONE_TO_FOUR, 100.5));
        assertEquals("Percentiles must be in the range [0, 100], got 100.5", e.getMessage());
    }
}
