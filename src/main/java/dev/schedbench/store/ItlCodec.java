package dev.schedbench.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    /** The largest excess whose expected quotient, 1.5 * 2^excess, stays below the escape. */
    private static final int MAX_UNARY_EXCESS = 3;

    private ItlCodec() {}

    /** Encodes with scratch buffers of its own; a caller encoding many arrays keeps an {@link Encoder}. */
    public static byte[] encode(long[] itlNanos) {
        return new Encoder().encode(itlNanos);
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

    /** Nanoseconds to microseconds, rounded half up. */
    private static long micros(long nanos) {
        long rounded = nanos + NANOS_PER_MICRO / 2;
        return rounded >= 0 ? rounded / NANOS_PER_MICRO : Math.floorDiv(rounded, NANOS_PER_MICRO);
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    /**
     * Encodes one array after another, reusing its scratch buffers: one per thread. The bits are
     * assembled in a 64-bit accumulator and leave it 32 at a time, so the inner loop does one
     * shift-or per value and one store per four bytes.
     */
    public static final class Encoder {

        /** Worst case per value: the escape, its length, and 64 payload bits. */
        private static final int MAX_BYTES_PER_VALUE = (ESCAPE + LENGTH_BITS + 64 + 7) / 8;
        /** Format byte, count, parameter and median as varints, and room for the last 32-bit store. */
        private static final int HEADER_AND_SLACK = 1 + 5 + 1 + 10 + 8;
        private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

        private long[] values = new long[256];
        private byte[] out = new byte[1_024];
        private final long[] sample = new long[MEDIAN_SAMPLE];
        private final int[] counts = new int[2 * 65];

        public byte[] encode(long[] itlNanos) {
            int n = itlNanos.length;
            if (n == 0) {
                return new byte[0];
            }
            long[] v = values.length >= n ? values : (values = new long[Math.max(n, values.length * 2)]);
            long needed = HEADER_AND_SLACK + (long) n * MAX_BYTES_PER_VALUE;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("too many inter-token latencies in one request: " + n);
            }
            byte[] buf = out.length >= needed ? out : (out = new byte[(int) Math.max(needed, out.length * 2L)]);
            long base = approximateMedian(itlNanos);
            // Two histograms, for even and odd positions: neighbours often share a bit length, and
            // one counter would make each increment wait for the previous one.
            int[] histogram = counts;
            Arrays.fill(histogram, 0);
            long all = 0;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                long z0 = zigzag(micros(itlNanos[i]) - base);
                long z1 = zigzag(micros(itlNanos[i + 1]) - base);
                v[i] = z0;
                v[i + 1] = z1;
                all |= z0 | z1;
                histogram[64 - Long.numberOfLeadingZeros(z0)]++;
                histogram[65 + 64 - Long.numberOfLeadingZeros(z1)]++;
            }
            if (i < n) {
                long z = zigzag(micros(itlNanos[i]) - base);
                v[i] = z;
                all |= z;
                histogram[64 - Long.numberOfLeadingZeros(z)]++;
            }
            for (int length = 0; length <= 64; length++) {
                histogram[length] += histogram[65 + length];
            }
            int k = bestParameter(histogram, 64 - Long.numberOfLeadingZeros(all));

            int pos = 0;
            buf[pos++] = (byte) FORMAT_RICE;
            pos = putVarint(buf, pos, n);
            buf[pos++] = (byte) k;
            pos = putVarint(buf, pos, zigzag(base));

            // Invariant between values: fewer than 32 bits wait in the low end of acc.
            long acc = 0;
            int pending = 0;
            long lowMask = (1L << k) - 1;
            for (i = 0; i < n; i++) {
                long z = v[i];
                long q = z >>> k;
                if (q < ESCAPE && q + 1 + k <= 32) {
                    // q ones, a zero, then the k low bits: one shift-or.
                    int bits = (int) q + 1 + k;
                    acc = (acc << bits) | (((1L << q) - 1) << (k + 1)) | (z & lowMask);
                    pending += bits;
                    if (pending >= 32) {
                        pending -= 32;
                        INT_BE.set(buf, pos, (int) (acc >>> pending));
                        pos += 4;
                    }
                    continue;
                }
                // Rare: a long code or an escape. A prefix of at most 23 bits, then a payload of up to 64.
                long prefix;
                int prefixBits;
                long payload;
                int payloadBits;
                if (q < ESCAPE) {
                    prefix = ((1L << q) - 1) << 1;
                    prefixBits = (int) q + 1;
                    payload = z & lowMask;
                    payloadBits = k;
                } else {
                    int length = 64 - Long.numberOfLeadingZeros(z);
                    prefix = (((1L << ESCAPE) - 1) << LENGTH_BITS) | length;
                    prefixBits = ESCAPE + LENGTH_BITS;
                    payload = z;
                    payloadBits = length;
                }
                acc = (acc << prefixBits) | prefix;
                pending += prefixBits;
                if (pending >= 32) {
                    pending -= 32;
                    INT_BE.set(buf, pos, (int) (acc >>> pending));
                    pos += 4;
                }
                if (payloadBits > 32) {
                    int high = payloadBits - 32;
                    acc = (acc << high) | ((payload >>> 32) & ((1L << high) - 1));
                    pending += high;
                    if (pending >= 32) {
                        pending -= 32;
                        INT_BE.set(buf, pos, (int) (acc >>> pending));
                        pos += 4;
                    }
                    payloadBits = 32;
                }
                acc = (acc << payloadBits) | (payload & ((1L << payloadBits) - 1));
                pending += payloadBits;
                if (pending >= 32) {
                    pending -= 32;
                    INT_BE.set(buf, pos, (int) (acc >>> pending));
                    pos += 4;
                }
            }
            while (pending >= 8) {
                pending -= 8;
                buf[pos++] = (byte) (acc >>> pending);
            }
            if (pending > 0) {
                buf[pos++] = (byte) (acc << (8 - pending));
            }
            return Arrays.copyOf(buf, pos);
        }

        /** The median of up to 31 evenly spaced values: close enough as a centre, and no full sort per request. */
        private long approximateMedian(long[] itlNanos) {
            int n = itlNanos.length;
            int m = Math.min(n, MEDIAN_SAMPLE);
            long[] s = sample;
            // Positions i * (n - 1) / (m - 1), stepped without a division per sample.
            int divisor = Math.max(1, m - 1);
            int stepWhole = (n - 1) / divisor;
            int stepRest = (n - 1) % divisor;
            int at = 0;
            int rest = 0;
            for (int i = 0; i < m; i++) {
                s[i] = micros(itlNanos[at]);
                at += stepWhole;
                rest += stepRest;
                if (rest >= divisor) {
                    rest -= divisor;
                    at++;
                }
            }
            return select(s, m, m / 2);
        }

        /** The {@code rank}-th smallest of the first {@code m} values (Hoare's selection); reorders them. */
        private static long select(long[] a, int m, int rank) {
            int lo = 0;
            int hi = m - 1;
            while (lo < hi) {
                long pivot = a[rank];
                int i = lo;
                int j = hi;
                do {
                    while (a[i] < pivot) {
                        i++;
                    }
                    while (pivot < a[j]) {
                        j--;
                    }
                    if (i <= j) {
                        long t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                        i++;
                        j--;
                    }
                } while (i <= j);
                if (j < rank) {
                    lo = i;
                }
                if (rank < i) {
                    hi = j;
                }
            }
            return a[rank];
        }

        private static int putVarint(byte[] buf, int start, long value) {
            int pos = start;
            long v = value;
            while ((v & ~0x7fL) != 0) {
                buf[pos++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
            return pos;
        }
    }

    /**
     * The Rice parameter with the fewest bits, from a histogram of the values' bit lengths: a value
     * of bit length L costs about 1.5 * 2^(L-1-k) + 1 + k bits, or the escape (when that expected
     * quotient reaches it). Counted in half bits, so that the sums are exact integers; ties go to
     * the smaller parameter. Prefix and suffix sums make each candidate k cost O(1).
     */
    private static int bestParameter(int[] counts, int longest) {
        // escapedCount[j], escapedLengths[j]: how many values are at least j bits long, and their lengths summed.
        long[] escapedCount = new long[longest + 2];
        long[] escapedLengths = new long[longest + 2];
        for (int length = longest; length >= 0; length--) {
            escapedCount[length] = escapedCount[length + 1] + counts[length];
            escapedLengths[length] = escapedLengths[length + 1] + (long) counts[length] * length;
        }
        int best = 0;
        long bestHalfBits = Long.MAX_VALUE;
        long shorter = 0; // values no longer than k bits
        for (int k = 0; k <= longest; k++) {
            shorter += counts[k];
            long coded = shorter;
            long unary = 0;
            for (int excess = 0; excess <= MAX_UNARY_EXCESS; excess++) {
                int length = k + 1 + excess;
                if (length <= longest) {
                    coded += counts[length];
                    unary += 3L * counts[length] << excess;
                }
            }
            long halfBits = 2L * (1 + k) * coded + unary;
            int firstEscaped = k + 2 + MAX_UNARY_EXCESS;
            if (firstEscaped <= longest) {
                halfBits += 2L * ((ESCAPE + LENGTH_BITS) * escapedCount[firstEscaped] + escapedLengths[firstEscaped]);
            }
            if (halfBits < bestHalfBits) {
                bestHalfBits = halfBits;
                best = k;
            }
        }
        return best;
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
