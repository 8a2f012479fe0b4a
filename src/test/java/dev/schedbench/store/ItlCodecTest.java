package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.RequestRecord;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItlCodecTest {

    @Test
    void valuesComeBackToTheMicrosecond() {
        long[] itl = {1_499, 1_500, 20_123_456, 3, 0, 7_000_000_000L, 15_000_000, -2_600};
        assertArrayEquals(new long[] {1_000, 2_000, 20_123_000, 0, 0, 7_000_000_000L, 15_000_000, -3_000},
                ItlCodec.decode(ItlCodec.encode(itl)));
        assertEquals(20_123_000, ItlCodec.roundTrip(20_123_456));
    }

    @Test
    void emptyAndSingleArraysWork() {
        assertEquals(0, ItlCodec.encode(new long[0]).length);
        assertArrayEquals(new long[0], ItlCodec.decode(new byte[0]));
        assertArrayEquals(new long[] {42_000}, ItlCodec.decode(ItlCodec.encode(new long[] {42_000})));
    }

    @Test
    void extremesAndAllEqualValuesRoundTrip() {
        long huge = Long.MAX_VALUE / 2_000 * 1_000;
        long[][] cases = {
            {0, huge, 0, huge, 1_000},
            new long[500],
            {-huge, huge},
        };
        Arrays.fill(cases[1], 12_000_000);
        for (long[] c : cases) {
            assertArrayEquals(c, ItlCodec.decode(ItlCodec.encode(c)), Arrays.toString(c));
        }
    }

    @Test
    void randomArraysRoundTrip() {
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < 2_000; t++) {
            long[] itl = new long[random.nextInt(0, 300)];
            long scale = 1L << random.nextInt(1, 40);
            for (int i = 0; i < itl.length; i++) {
                itl[i] = random.nextLong(0, scale) * 1_000;
            }
            assertArrayEquals(itl, ItlCodec.decode(ItlCodec.encode(itl)));
        }
    }

    @Test
    void realisticStreamsTakeUnderTwoBytesAToken() {
        List<RequestRecord> rows = StoreBenchmark.realisticRequests(500, 200, false);
        long bytes = 0;
        for (RequestRecord r : rows) {
            byte[] blob = ItlCodec.encode(r.itlNanos());
            bytes += blob.length;
            long[] back = ItlCodec.decode(blob);
            for (int i = 0; i < back.length; i++) {
                assertEquals(ItlCodec.roundTrip(r.itlNanos()[i]), back[i]);
            }
        }
        double perToken = bytes / (500.0 * 200);
        assertTrue(perToken < 2.0, "bytes per token: " + perToken);
    }
}
