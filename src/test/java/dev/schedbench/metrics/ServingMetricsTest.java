package dev.schedbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.RequestRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The metric maths against numpy's answers for the golden request sets (see make_expected.py). */
class ServingMetricsTest {

    private static final double RELATIVE = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "single", "failed", "large"})
    void vllmFiguresMatchNumpy(String name) {
        GoldenCases.Case c = GoldenCases.load(name);
        JsonNode e = GoldenCases.expected(name);
        BenchmarkMetrics m = c.metrics();

        assertEquals(e.get("num_requests").asInt(), m.numRequests());
        assertEquals(e.get("completed").asInt(), m.completed());
        assertEquals(e.get("failed").asInt(), m.failed());
        assertEquals(e.get("total_input").asLong(), m.totalInputTokens());
        assertEquals(e.get("total_output").asLong(), m.totalOutputTokens());
        close(e.get("duration"), m.durationSeconds(), "duration");
        close(e.get("request_throughput"), m.requestThroughput(), "request_throughput");
        close(e.get("output_throughput"), m.outputThroughput(), "output_throughput");
        close(e.get("total_token_throughput"), m.totalTokenThroughput(), "total_token_throughput");
        optional(e.get("request_goodput"), m.requestGoodput(), "request_goodput");
        latency(e.get("latency"), m.latency(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "single", "failed", "large"})
    void extrasMatchTheReferenceImplementation(String name) {
        GoldenCases.Case c = GoldenCases.load(name);
        JsonNode e = GoldenCases.expected(name);
        BenchmarkMetrics m = c.metrics();

        assertEquals(e.get("classes").size(), m.priorityClasses().size());
        for (int i = 0; i < m.priorityClasses().size(); i++) {
            JsonNode ec = e.get("classes").get(i);
            PriorityClassStats pc = m.priorityClasses().get(i);
            String where = name + " class " + pc.priorityClass();
            assertEquals(ec.get("priority_class").asInt(), pc.priorityClass(), where);
            assertEquals(ec.get("requests").asInt(), pc.requests(), where);
            assertEquals(ec.get("completed").asInt(), pc.completed(), where);
            assertEquals(optionalLong(ec.get("min_priority")), pc.minPriority(), where);
            assertEquals(optionalLong(ec.get("max_priority")), pc.maxPriority(), where);
            latency(ec.get("latency"), pc.latency(), where);
            fairness(ec.get("fairness"), pc.fairness(), where);
        }
        fairness(e.get("fairness"), m.fairness(), name);
        JsonNode ec = e.get("client");
        assertEquals(ec.get("requests").asInt(), m.client().requests());
        close(ec.get("lag_p50_ms"), m.client().sendLagP50Ms(), "lag p50");
        close(ec.get("lag_p99_ms"), m.client().sendLagP99Ms(), "lag p99");
        close(ec.get("lag_max_ms"), m.client().sendLagMaxMs(), "lag max");
        optional(ec.get("achieved_rate"), m.client().achievedRateRps(), "achieved rate");
    }

    @Test
    void largeSetIsBitIdenticalToNumpyDespitePairwiseSummation() {
        BenchmarkMetrics m = GoldenCases.load("large").metrics();
        JsonNode e = GoldenCases.expected("large").get("latency");
        for (String metric : MetricsConfig.METRICS) {
            JsonNode em = e.get(metric);
            MetricStats s = m.stats(metric);
            assertEquals(em.get("mean").asDouble(), s.meanMs(), 0, metric);
            assertEquals(em.get("std").asDouble(), s.stdMs(), 0, metric);
            assertEquals(em.get("median").asDouble(), s.medianMs(), 0, metric);
            for (JsonNode p : em.get("percentiles")) {
                assertEquals(p.get(1).asDouble(), s.percentileMs(p.get(0).asDouble()), 0, metric + " p" + p.get(0));
            }
        }
        assertTrue(m.stats("itl").count() > 8192, "the set must be large enough to make numpy recurse");
    }

    @Test
    void singleTokenOutputsHaveNoTpotOrItlAndCountAsGoodForTpot() {
        RequestRecord one = record(0, 1, 100, 100, new long[0]);
        MetricsConfig config = new MetricsConfig(List.of("tpot"), List.of(99.0), Map.of("tpot", 0.0));
        BenchmarkMetrics m = ServingMetrics.compute(List.of(one), 1_000_000_000L, config, 1);
        assertEquals(0, m.stats("tpot").count());
        assertEquals(0.0, m.stats("tpot").meanMs());
        assertEquals(0, m.stats("itl").count());
        assertEquals(OptionalDouble.of(1.0), m.requestGoodput(), "TPOT counts as 0 against a 0 ms SLO");
    }

    @Test
    void goodputIsEmptyWithoutSlosAndAnySloMissedMakesARequestBad() {
        RequestRecord fast = record(0, 3, 100_000_000L, 300_000_000L, new long[] {100_000_000L, 100_000_000L});
        RequestRecord slow = record(1, 3, 900_000_000L, 1_100_000_000L, new long[] {100_000_000L, 100_000_000L});
        assertEquals(OptionalDouble.empty(),
                ServingMetrics.compute(List.of(fast, slow), 2_000_000_000L, MetricsConfig.defaults(), 1).requestGoodput());
        MetricsConfig slo = new MetricsConfig(List.of("ttft"), List.of(99.0), Map.of("ttft", 500.0, "tpot", 100.0));
        assertEquals(OptionalDouble.of(0.5),
                ServingMetrics.compute(List.of(fast, slow), 2_000_000_000L, slo, 1).requestGoodput());
    }

    @Test
    void recordsAreTakenInIndexOrderWhateverOrderTheyFinished() {
        GoldenCases.Case c = GoldenCases.load("large");
        List<RequestRecord> reversed = c.records().reversed();
        BenchmarkMetrics a = c.metrics();
        BenchmarkMetrics b = ServingMetrics.compute(reversed, c.durationNanos(), c.config(), c.requestedRateRps());
        assertEquals(a, b);
    }

    @Test
    void noRecordsGivesZerosAndNoFairness() {
        BenchmarkMetrics m = ServingMetrics.compute(List.of(), 1_000_000L, MetricsConfig.defaults(), Double.POSITIVE_INFINITY);
        assertEquals(0, m.completed());
        assertEquals(0.0, m.stats("e2el").percentileMs(99));
        assertTrue(m.priorityClasses().isEmpty());
        assertFalse(m.fairness().isPresent());
        assertEquals(OptionalDouble.empty(), m.client().achievedRateRps());
    }

    @Test
    void equalSlowdownsAreFairAndOneVictimIsNot() {
        RequestRecord a = record(0, 10, 100, 1_000_000_000L, new long[0]);
        RequestRecord b = record(1, 20, 100, 2_000_000_000L, new long[0]);
        Fairness even = ServingMetrics.compute(List.of(a, b), 3_000_000_000L, MetricsConfig.defaults(), 1).fairness().orElseThrow();
        assertEquals(1.0, even.jainIndex(), 1e-15, "same latency per token");
        assertEquals(1.0, even.maxSlowdown(), 1e-15);
        RequestRecord victim = record(1, 10, 100, 4_000_000_000L, new long[0]);
        Fairness skewed = ServingMetrics.compute(List.of(a, victim), 5_000_000_000L, MetricsConfig.defaults(), 1).fairness().orElseThrow();
        assertEquals(4.0, skewed.maxSlowdown(), 1e-12);
        assertEquals(25.0 / 34.0, skewed.jainIndex(), 1e-12, "(1+4)^2 / (2 (1+16))");
    }

    @Test
    void nonPositiveDurationIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ServingMetrics.compute(List.of(), 0, MetricsConfig.defaults(), 1));
    }

    private static RequestRecord record(int index, int outputTokens, long ttftNanos, long e2elNanos, long[] itls) {
        return new RequestRecord(index, 10, outputTokens, outputTokens, OptionalLong.empty(), 0, 0, 0, ttftNanos,
                e2elNanos, itls, "x".repeat(outputTokens), "");
    }

    private static void latency(JsonNode expected, SequencedMap<String, MetricStats> actual, String where) {
        assertEquals(MetricsConfig.METRICS, List.copyOf(actual.keySet()));
        for (String metric : MetricsConfig.METRICS) {
            JsonNode em = expected.get(metric);
            MetricStats s = actual.get(metric);
            String what = where + " " + metric;
            assertEquals(em.get("count").asInt(), s.count(), what + " count");
            close(em.get("mean"), s.meanMs(), what + " mean");
            close(em.get("median"), s.medianMs(), what + " median");
            close(em.get("std"), s.stdMs(), what + " std");
            assertEquals(em.get("percentiles").size(), s.percentilesMs().size(), what);
            for (JsonNode p : em.get("percentiles")) {
                close(p.get(1), s.percentileMs(p.get(0).asDouble()), what + " p" + p.get(0));
            }
        }
    }

    private static void fairness(JsonNode expected, Optional<Fairness> actual, String where) {
        assertEquals(!expected.isNull(), actual.isPresent(), where + " fairness presence");
        if (actual.isPresent()) {
            Fairness f = actual.get();
            assertEquals(expected.get("requests").asInt(), f.requests(), where);
            close(expected.get("jain"), f.jainIndex(), where + " jain");
            close(expected.get("mean"), f.meanSlowdown(), where + " mean slowdown");
            close(expected.get("median"), f.medianSlowdown(), where + " median slowdown");
            close(expected.get("max"), f.maxSlowdown(), where + " max slowdown");
        }
    }

    private static void optional(JsonNode expected, OptionalDouble actual, String what) {
        assertEquals(!expected.isNull(), actual.isPresent(), what + " presence");
        if (actual.isPresent()) {
            close(expected, actual.getAsDouble(), what);
        }
    }

    private static OptionalLong optionalLong(JsonNode node) {
        return node.isNull() ? OptionalLong.empty() : OptionalLong.of(node.asLong());
    }

    private static void close(JsonNode expected, double actual, String what) {
        double e = expected.asDouble();
        assertEquals(e, actual, Math.abs(e) * RELATIVE, what);
    }
}
