package dev.schedbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Float spellings against what Python printed for the same bits (golden/metrics/python_floats.json). */
class PyFormatTest {

    @Test
    void reprMatchesPythonForEveryGoldenDouble() {
        JsonNode all = GoldenCases.tree("python_floats.json");
        for (JsonNode row : all) {
            double x = Double.longBitsToDouble(row.get("bits").asLong());
            String what = row.get("repr").asText();
            assertEquals(what, PyFormat.repr(x), "repr");
            assertEquals(row.get("json").asText(), PyFormat.jsonNumber(x), "json of " + what);
            if (!row.get("f2").isNull()) {
                assertEquals(row.get("f2").asText(), PyFormat.fixed(x, 2), ".2f of " + what);
                assertEquals(row.get("f4").asText(), PyFormat.fixed(x, 4), ".4f of " + what);
            }
            if (!row.get("pword").isNull()) {
                assertEquals(row.get("pword").asText(), PyFormat.percentileWord(x), "percentile word of " + what);
            }
        }
        assertTrue(all.size() > 1000, "the golden list holds a thousand random doubles");
    }

    @Test
    void familiarSpellings() {
        assertEquals("10.0", PyFormat.repr(10));
        assertEquals("inf", PyFormat.repr(Double.POSITIVE_INFINITY));
        assertEquals("1e-05", PyFormat.repr(1e-5));
        assertEquals("5e-324", PyFormat.repr(Double.MIN_VALUE));
        assertEquals("0.12", PyFormat.fixed(0.125, 2), "ties go to even on the exact binary value");
        assertEquals("99.9", PyFormat.percentileWord(99.9));
        assertEquals("99", PyFormat.percentileWord(99.0));
    }
}
