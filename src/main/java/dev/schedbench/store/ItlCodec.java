package dev.schedbench.store;

import java.util.Arrays;

/**
 * Compact storage of a request's inter-token latencies, about 1.7 bytes a token instead of 8.
 *
 * <p>Values are kept in microseconds: a thousand times the precision vLLM reports (0.01 ms) and
 * below an SSE client's clock jitter; the nanosecond remainder is rounded away (see the decision
 * record on request storage). A stream's gaps cluster around its decode pace, so each value is
 * stored as its zig-zag difference from the request's (approximate) median, Golomb-Rice coded with
 * the parameter that suits that request; rare long gaps (a prefill of another request) escape to
 * an explicit bit length instead of a long unary run.
 *
 * <p>Layout: an empty array is an empty blob; otherwise format byte {@value #FORMAT_RICE}, the
 * count (varint), the Rice parameter k (one byte), the median (zig-zag varint), then the values'
 * bits, most significant first, padded to a byte. The format byte lets a later encoding coexist
 * with stored blobs without rewriting them.
 */
public final class ItlCodec {

    static final int FORMAT_RICE = 1;
    private static final long NANOS_PER_MICRO = 1_000;
    /** Unary quotients at or beyond this escape to an explicit bit length. */
    private static final int ESCAPE = 16;
    private static final int LENGTH_BITS = 7;
    private static final int MEDIAN_SAMPLE = 31;

    private ItlCodec() {}

    public static byte[] encode(long[] itlNanos) {
        int n = itlNanos.length;
        if (n == 0) {
            return new byte[0];
        }
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long rounded = itlNanos[i] + NANOS_PER_MICRO / 2;
            micros[i] = rounded >= 0 ? rounded / NANOS_PER_MICRO : Math.floorDiv(rounded, NANOS_PER_MICRO);
        }
        long base = approximateMedian(micros);
        long[] zigzag = new long[n];
        for (int i = 0; i < n; i++) {
            long d = micros[i] - base;
            zigzag[i] = (d << 1) ^ (d >> 63);
        }
        int k = bestParameter(zigzag);
        BitWriter out = new BitWriter(n * 3 + 24);
        out.writeByte(FORMAT_RICE);
        out.writeVarint(n);
        out.writeByte(k);
        out.writeVarint((base << 1) ^ (base >> 63));
        long lowMask = (1L << k) - 1;
        for (long z : zigzag) {
            long q = z >>> k;
            if (q < ESCAPE && q + 1 + k <= BitWriter.MAX_BITS) {
                // q ones, a zero, then the k low bits: one write.
                out.writeBits((int) q + 1 + k, (((1L << q) - 1) << (k + 1)) | (z & lowMask));
            } else if (q < ESCAPE) {
                out.writeOnes((int) q);
                out.writeBits(1, 0);
                out.writeBits(k, z);
            } else {
                int length = 64 - Long.numberOfLeadingZeros(z);
                out.writeOnes(ESCAPE);
                out.writeBits(LENGTH_BITS, length);
                out.writeBits(length, z);
            }
        }
        return out.toArray();
    }

    public static long[] decode(byte[] blob) {
        if (blob.length == 0) {
            return new long[0];
        }
        BitReader in = new BitReader(blob);
        int format = in.readByte();
        if (format != FORMAT_RICE) {
            throw new IllegalStateException("unknown inter-token latency encoding " + format + " in the run database");
        }
        int n = (int) in.readVarint();
        int k = in.readByte();
        long zb = in.readVarint();
        long base = (zb >>> 1) ^ -(zb & 1);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            int q = 0;
            while (q < ESCAPE && in.readBit() == 1) {
                q++;
            }
            long z;
            if (q < ESCAPE) {
                z = ((long) q << k) | in.readBits(k);
            } else {
                z = in.readBits((int) in.readBits(LENGTH_BITS));
            }
            values[i] = (base + ((z >>> 1) ^ -(z & 1))) * NANOS_PER_MICRO;
        }
        return values;
    }

    /** What a value reads back as: the stored precision. */
    public static long roundTrip(long nanos) {
        return Math.floorDiv(nanos + NANOS_PER_MICRO / 2, NANOS_PER_MICRO) * NANOS_PER_MICRO;
    }

    /** The median of up to 31 evenly spaced values: close enough as a centre, and no full sort per request. */
    private static long approximateMedian(long[] values) {
        int m = Math.min(values.length, MEDIAN_SAMPLE);
        long[] sample = new long[m];
        for (int i = 0; i < m; i++) {
            sample[i] = values[(int) ((long) i * (values.length - 1) / Math.max(1, m - 1))];
        }
        Arrays.sort(sample);
        return sample[m / 2];
    }

    /**
     * The Rice parameter with the fewest bits, from a histogram of the values' bit lengths (one pass):
     * a value of bit length L costs about 1.5 * 2^(L-1-k) + 1 + k bits, or the escape.
     */
    private static int bestParameter(long[] zigzag) {
        int[] counts = new int[65];
        int longest = 0;
        for (long z : zigzag) {
            int length = 64 - Long.numberOfLeadingZeros(z);
            counts[length]++;
            longest = Math.max(longest, length);
        }
        int best = 0;
        double bestBits = Double.MAX_VALUE;
        for (int k = 0; k <= longest; k++) {
            double bits = 0;
            for (int length = 0; length <= longest; length++) {
                if (counts[length] == 0) {
                    continue;
                }
                int excess = length - 1 - k;
                double q = excess < 0 ? 0 : 1.5 * (1L << Math.min(excess, 40));
                bits += counts[length] * (q < ESCAPE ? q + 1 + k : ESCAPE + LENGTH_BITS + length);
            }
            if (bits < bestBits) {
                bestBits = bits;
                best = k;
            }
        }
        return best;
    }

    private static final class BitWriter {
        /** Bits one write may carry: with at most 7 bits pending, the accumulator stays within 64. */
        static final int MAX_BITS = 57;

        private byte[] bytes;
        private int size;
        private long acc;
        private int pending;

        BitWriter(int capacity) {
            bytes = new byte[capacity];
        }

        void writeByte(int value) {
            writeBits(8, value);
        }

        void writeVarint(long value) {
            long v = value;
            while ((v & ~0x7fL) != 0) {
                writeBits(8, (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            writeBits(8, v);
        }

        void writeOnes(int count) {
            int left = count;
            while (left > 0) {
                int now = Math.min(left, 32);
                writeBits(now, (1L << now) - 1);
                left -= now;
            }
        }

        /** The low {@code count} bits of {@code value} (count 0..64), most significant first. */
        void writeBits(int count, long value) {
            if (count > MAX_BITS) {
                writeBits(count - 32, value >>> 32);
                writeBits(32, value);
                return;
            }
            if (count == 0) {
                return;
            }
            acc = (acc << count) | (value & ((1L << count) - 1));
            pending += count;
            while (pending >= 8) {
                pending -= 8;
                put((byte) (acc >>> pending));
            }
        }

        byte[] toArray() {
            if (pending > 0) {
                put((byte) (acc << (8 - pending)));
                pending = 0;
            }
            return Arrays.copyOf(bytes, size);
        }

        private void put(byte b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }
    }

    private static final class BitReader {
        private final byte[] bytes;
        private long position;

        BitReader(byte[] bytes) {
            this.bytes = bytes;
        }

        int readBit() {
            int bit = (bytes[(int) (position >>> 3)] >>> (7 - (int) (position & 7))) & 1;
            position++;
            return bit;
        }

        long readBits(int count) {
            long value = 0;
            int left = count;
            while (left > 0) {
                int offset = (int) (position & 7);
                int available = 8 - offset;
                int take = Math.min(available, left);
                int bits = ((bytes[(int) (position >>> 3)] & 0xff) >>> (available - take)) & ((1 << take) - 1);
                value = (value << take) | bits;
                left -= take;
                position += take;
            }
            return value;
        }

        int readByte() {
            return (int) readBits(8);
        }

        long readVarint() {
            long value = 0;
            int shift = 0;
            int b;
            do {
                b = readByte();
                value |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return value;
        }
    }
}
