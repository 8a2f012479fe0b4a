package dev.schedbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.UserError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

    @Test
    void unknownPercentileMetricNamesTheFlagAndTheChoices() {
        UserError e = assertThrows(UserError.class,
                () -> new MetricsConfig(List.of("ttft", "latency"), List.of(99.0), Map.of()));
        assertEquals("Invalid metric name found in --percentile-metrics: 'latency'. The metric name should be one of "
                + "['ttft', 'tpot', 'itl', 'e2el'].", e.getMessage());
    }

    @Test
    void goodputAcceptsOnlyTtftTpotE2el() {
        UserError e = assertThrows(UserError.class,
                () -> new MetricsConfig(List.of("ttft"), List.of(99.0), Map.of("itl", 5.0)));
        assertEquals("Invalid metric name found in --goodput, itl: 5.0. The service level objective name should be "
                + "one of ['ttft', 'tpot', 'e2el'].", e.getMessage());
    }

    @Test
    void goodputValuesMustBeNonNegative() {
        UserError e = assertThrows(UserError.class,
                () -> new MetricsConfig(List.of("ttft"), List.of(99.0), Map.of("ttft", -1.0)));
        assertEquals("Invalid value found in --goodput, ttft: -1.0. The service level objective value should be a "
                + "non-negative number of milliseconds.", e.getMessage());
        assertThrows(UserError.class, () -> new MetricsConfig(List.of(), List.of(), Map.of("e2el", Double.NaN)));
    }

    @Test
    void percentilesMustLieInZeroToHundred() {
        UserError e = assertThrows(UserError.class,
                () -> new MetricsConfig(List.of("ttft"), List.of(99.0, 100.5), Map.of()));
        assertEquals("Invalid percentile found in --metric-percentiles: 100.5. Percentiles must be in the range [0, 100].",
                e.getMessage());
    }

    @Test
    void reportedMetricsFollowVllmsOrderNotTheUsers() {
        MetricsConfig config = new MetricsConfig(List.of("e2el", "ttft"), List.of(99.0), Map.of());
        assertEquals(List.of("ttft", "e2el"), config.reportedMetrics());
        assertFalse(config.hasGoodput());
    }

    @Test
    void takenFromTheServeSpec() {
        MetricsConfig config = GoldenCases.load("mixed").config();
        assertEquals(List.of("e2el", "ttft", "tpot", "itl"), config.percentileMetrics());
        assertEquals(List.of(50.0, 90.0, 99.0, 99.9), config.percentiles());
        assertEquals(Map.of("ttft", 500.0, "tpot", 100.0, "e2el", 3000.0), config.goodputSlosMs());
        assertTrue(config.hasGoodput());
        assertEquals(MetricsConfig.defaults().percentileMetrics(), List.of("ttft", "tpot", "itl"));
    }
}
