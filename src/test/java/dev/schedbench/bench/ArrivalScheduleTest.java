package dev.schedbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

    @Test
    void sameSeedSameScheduleOtherSeedOtherSchedule() {
        assertEquals(ArrivalSchedule.of(500, 20, 0.7, 3), ArrivalSchedule.of(500, 20, 0.7, 3));
        assertNotEquals(ArrivalSchedule.of(500, 20, 0.7, 3), ArrivalSchedule.of(500, 20, 0.7, 4));
    }

    @Test
    void gapsAreVllmsNumpyGammaDrawsSummedIntoSendTimes() {
        // np.random.seed(0); np.random.gamma(1.0, 0.1, 5): vLLM's sleeps between sends at 10 req/s
        double[] gaps = {0.07958745081631101, 0.12559307629658378, 0.09232231458040689, 0.07872011523172708};
        ArrivalSchedule s = ArrivalSchedule.of(5, 10, 1.0, 0);
        double at = 0;
        assertEquals(0, s.offsetNanos(0));
        for (int i = 0; i < gaps.length; i++) {
            at += gaps[i];
            assertEquals(Math.round(at * 1e9), s.offsetNanos(i + 1));
        }
    }

    @Test
    void infiniteRateSendsEverythingAtOnce() {
        ArrivalSchedule s = ArrivalSchedule.of(100, Double.POSITIVE_INFINITY, 1.0, 0);
        assertTrue(Arrays.stream(s.offsetsNanos()).allMatch(o -> o == 0));
        assertEquals(100, s.size());
    }

    @Test
    void meanRateAndBurstinessHoldStatistically() {
        int n = 40_000;
        double rate = 50;
        for (double burstiness : new double[] {0.25, 0.5, 1, 2, 4}) {
            ArrivalSchedule s = ArrivalSchedule.of(n + 1, rate, burstiness, 11);
            double[] gaps = new double[n];
            for (int i = 0; i < n; i++) {
                gaps[i] = (s.offsetNanos(i + 1) - s.offsetNanos(i)) / 1e9;
            }
            double mean = Arrays.stream(gaps).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / n);
            double expectedCv = 1 / Math.sqrt(burstiness);
            // the sample mean's standard error is (1/rate)·cv/√n; allow five of them
            double bound = 5 * (1 / rate) * expectedCv / Math.sqrt(n);
            assertEquals(1 / rate, mean, bound, "mean gap at burstiness " + burstiness);
            assertEquals(expectedCv, sd / mean, 0.05 * expectedCv, "coefficient of variation at burstiness " + burstiness);
            assertTrue(Arrays.stream(gaps).allMatch(g -> g >= 0));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.of(1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.of(1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.of(-1, 1, 1, 0));
    }
}
