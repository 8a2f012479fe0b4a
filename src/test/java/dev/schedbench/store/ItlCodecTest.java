package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.RequestRecord;
import java.util.Arrays;
import java.util.HexFormat;
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

    /** Blobs already stored must keep decoding, and the encoder must keep writing the same bits. */
    @Test
    void theEncodingIsStable() {
        long huge = Long.MAX_VALUE / 2_000 * 1_000;
        Object[][] cases = {
            {new long[] {1_499, 1_500, 20_123_456, 3, 0, 7_000_000_000L, 15_000_000, -2_600},
                "0108020423fffc84e9937fffe63567df3fffc7f52cc8"},
            {new long[] {-huge, huge}, "010200f6a78dafba93b110ffff6f0624dd2f1a9fac"},
            {new long[] {42_000}, "0101005400"},
            // Codes longer than 32 bits: wide values need a large Rice parameter.
            {new long[] {4935513026717000L, 31690322547617000L, 33193362920045000L, 2856810606064000L, 16606306785732000L,
                10864030668814000L, 18830528126820000L, 7977561658858000L, 12611015592310000L, 27330180417066000L,
                16140653932384000L, 17420030643229000L},
                "010c2b88e7a2d0cec607d4ea8c2149379b80566b9dd762bf32d7152e2053757af4e00000000001271f4a8036b40bbbd88b40bd90949c3d9"
                        + "ba239e9904de70362b6b1981b1ac4aa98e2f5d6e2c964"},
            // A realistic stream with escapes (gaps stretched by another request's prefill).
            {new long[] {24767987, 24944309, 24254321, 24425380, 24461869, 24550830, 25715488, 24238718, 24806924, 24339444,
                24138661, 24208099, 24864495, 25230196, 24322501, 24988914, 34161482, 25351340, 23976617, 24822470, 25621621,
                25666648, 25955925, 25293317, 25268566, 29874940, 24844682, 25112020, 25399318, 46549028, 25706584, 24739649,
                25328011, 24643568, 24475440, 25595388, 25296172, 47253679, 26036815, 25370156},
                "01280cba86030dc8164b7a46720e8dacb585db0b5944cd4661907c8788a66000f3d40b50fce14d2791530f1c260118662c08f83d8669"
                        + "ffa1c0b381f11530ac48064bc1337fedf24180be80"},
        };
        ItlCodec.Encoder encoder = new ItlCodec.Encoder();
        for (Object[] c : cases) {
            long[] itl = (long[]) c[0];
            String hex = (String) c[1];
            assertEquals(hex, HexFormat.of().formatHex(ItlCodec.encode(itl)), Arrays.toString(itl));
            assertEquals(hex, HexFormat.of().formatHex(encoder.encode(itl)), Arrays.toString(itl));
            long[] expected = Arrays.stream(itl).map(ItlCodec::roundTrip).toArray();
            assertArrayEquals(expected, ItlCodec.decode(HexFormat.of().parseHex(hex)));
        }
    }

    @Test
    void aReusedEncoderMatchesAFreshOneWhateverCameBefore() {
        SplittableRandom random = new SplittableRandom(5);
        ItlCodec.Encoder encoder = new ItlCodec.Encoder();
        for (int t = 0; t < 300; t++) {
            long[] itl = new long[random.nextInt(0, 2_000)];
            long scale = 1L << random.nextInt(1, 50);
            for (int i = 0; i < itl.length; i++) {
                itl[i] = random.nextLong(-scale, scale);
            }
            assertArrayEquals(ItlCodec.encode(itl), encoder.encode(itl));
            assertArrayEquals(Arrays.stream(itl).map(ItlCodec::roundTrip).toArray(), ItlCodec.decode(encoder.encode(itl)));
        }
    }
}
