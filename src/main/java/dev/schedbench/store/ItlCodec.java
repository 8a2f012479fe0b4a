package dev.schedbench.store;

import java.util.Arrays;

/**
 * Compact storage of a request's inter-token latencies: microseconds, each value as the zig-zag
 * varint of its difference to the previous one (the first against zero). Successive gaps of one
 * stream are close, so most values take two bytes instead of eight. Microseconds keep a thousand
 * times the precision vLLM reports (0.01 ms) and sit below an SSE client's clock jitter; the
 * nanosecond remainder is rounded away (see the decision record on request storage).
 */
public final class ItlCodec {

    private static final long NANOS_PER_MICRO = 1_000;
    private static final int MAX_VARINT_BYTES = 10;

    private ItlCodec() {}

    public static byte[] encode(long[] itlNanos) {
        byte[] out = new byte[itlNanos.length * MAX_VARINT_BYTES];
        int pos = 0;
        long previous = 0;
        for (long nanos : itlNanos) {
            long micros = Math.floorDiv(nanos + NANOS_PER_MICRO / 2, NANOS_PER_MICRO);
            long delta = micros - previous;
            long v = (delta << 1) ^ (delta >> 63);
            while ((v & ~0x7fL) != 0) {
                out[pos++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out[pos++] = (byte) v;
            previous = micros;
        }
        return Arrays.copyOf(out, pos);
    }

    public static long[] decode(byte[] blob) {
        long[] values = new long[count(blob)];
        long previous = 0;
        int pos = 0;
        for (int i = 0; i < values.length; i++) {
            long zigzag = 0;
            int shift = 0;
            byte b;
            do {
                b = blob[pos++];
                zigzag |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            long micros = previous + ((zigzag >>> 1) ^ -(zigzag & 1));
            values[i] = micros * NANOS_PER_MICRO;
            previous = micros;
        }
        return values;
    }

    /** What a value reads back as: the stored precision. */
    public static long roundTrip(long nanos) {
        return Math.floorDiv(nanos + NANOS_PER_MICRO / 2, NANOS_PER_MICRO) * NANOS_PER_MICRO;
    }

    private static int count(byte[] blob) {
        int n = 0;
        for (byte b : blob) {
            if (b >= 0) {
                n++;
            }
        }
        return n;
    }
}
