package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Numbers as Python's prometheus_client prints them, which is what vLLM's clients have seen. */
class PrometheusTextTest {

    @Test
    void numbersFollowPythonsReprAndGosExponents() {
        assertEquals("0.0", PrometheusText.goFloat(0));
        assertEquals("7.0", PrometheusText.goFloat(7));
        assertEquals("0.001", PrometheusText.goFloat(0.001));
        assertEquals("0.0001", PrometheusText.goFloat(0.0001));
        assertEquals("1e-05", PrometheusText.goFloat(0.00001));
        assertEquals("2.5e-07", PrometheusText.goFloat(2.5e-7));
        assertEquals("0.30000000000000004", PrometheusText.goFloat(0.1 + 0.2));
        assertEquals("123456.0", PrometheusText.goFloat(123_456));
        assertEquals("1.234567e+06", PrometheusText.goFloat(1_234_567));
        assertEquals("1e+07", PrometheusText.goFloat(10_000_000));
        assertEquals("1.5e+16", PrometheusText.goFloat(1.5e16));
        assertEquals("-3.5", PrometheusText.goFloat(-3.5));
        assertEquals("+Inf", PrometheusText.goFloat(Double.POSITIVE_INFINITY));
        assertEquals("NaN", PrometheusText.goFloat(Double.NaN));
    }
}
