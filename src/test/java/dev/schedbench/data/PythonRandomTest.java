package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PythonRandomTest {

    private static final JsonNode GOLDENS = RandomGoldens.load();

    @Test
    void shuffleOfTenWithSeedZeroIsCPythons() {
        List<Integer> xs = new ArrayList<>(IntStream.range(0, 10).boxed().toList());
        new PythonRandom(0).shuffle(xs);
        assertEquals(List.of(7, 8, 1, 5, 3, 4, 2, 0, 9, 6), xs);
    }

    @Test
    void everyGoldenSequenceMatches() {
        for (JsonNode c : GOLDENS.get("pythonRandom")) {
            BigInteger seed = c.get("seed").bigIntegerValue();
            String at = "seed " + seed;
            PythonRandom r = new PythonRandom(seed);
            for (JsonNode v : c.get("random")) {
                assertEquals(v.doubleValue(), r.random(), 0.0, at + " random()");
            }
            r.seed(seed);
            var bits = c.get("getrandbits").properties();
            for (var e : bits) {
                int k = Integer.parseInt(e.getKey());
                for (JsonNode v : e.getValue()) {
                    assertEquals(v.longValue(), r.getrandbits(k), at + " getrandbits(" + k + ")");
                }
            }
            r.seed(seed);
            long[] ns = {1, 2, 3, 10, 100, 1000, 1L << 31, (1L << 33) + 1};
            for (int i = 0; i < ns.length; i++) {
                assertEquals(c.get("randbelow").get(i).longValue(), r.randbelow(ns[i]), at + " randbelow(" + ns[i] + ")");
            }
            r.seed(seed);
            int[] ten = IntStream.range(0, 10).toArray();
            r.shuffle(ten);
            assertEquals(ints(c.get("shuffle10")), Arrays.toString(ten), at + " shuffle 10");
            r.seed(seed);
            int[] many = IntStream.range(0, 2000).toArray();
            r.shuffle(many);
            assertEquals(ints(c.get("shuffle2000")), Arrays.toString(many), at + " shuffle 2000");
            r.seed(seed);
            for (JsonNode v : c.get("gauss")) {
                // the C library and the JIT's intrinsics may round log/sin/cos one ulp apart
                assertEquals(v.doubleValue(), r.gauss(100.0, 50.0), Math.ulp(v.doubleValue()), at + " gauss");
            }
        }
    }

    @Test
    void addNoiseWithSeed585ReproducesTheForksNoisyPriorities() {
        PythonRandom r = new PythonRandom(585);
        for (JsonNode row : GOLDENS.get("addNoise585")) {
            int tokens = row.get(0).intValue();
            double sigma = row.get(1).doubleValue();
            long noisy = Math.min(Math.max(Math.max(0, (long) Math.rint(r.gauss(tokens, sigma))), 15), 1025);
            assertEquals(row.get(2).longValue(), noisy, "noise for " + tokens + " sigma " + sigma);
        }
    }

    @Test
    void reseedingForgetsTheCachedGaussian() {
        PythonRandom r = new PythonRandom(3);
        double first = r.gauss(0, 1);
        r.gauss(0, 1);
        r.seed(3);
        assertEquals(first, r.gauss(0, 1), 0.0);
    }

    @Test
    void badArgumentsAreRefused() {
        PythonRandom r = new PythonRandom(0);
        assertThrows(IllegalArgumentException.class, () -> r.randbelow(0));
        assertThrows(IllegalArgumentException.class, () -> r.getrandbits(64));
        assertThrows(IllegalArgumentException.class, () -> r.randint(3, 2));
        long v = r.randint(5, 5);
        assertEquals(5, v);
    }

    private static String ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(n -> values.add(n.intValue()));
        return values.toString();
    }
}
