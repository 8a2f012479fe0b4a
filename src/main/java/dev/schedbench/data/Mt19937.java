package dev.schedbench.data;

/**
 * The Mersenne Twister MT19937 exactly as CPython's {@code _randommodule.c} and numpy's legacy
 * {@code RandomState} implement it, so that seeded sequences match the seed's Python scripts bit for
 * bit. Words are Java ints holding unsigned 32-bit values.
 */
final class Mt19937 {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int mti = N + 1;

    /** Reference {@code init_genrand}: numpy's legacy seeding of a 32-bit integer. */
    void initGenrand(int seed) {
        mt[0] = seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** Reference {@code init_by_array}: CPython's seeding of an integer split into 32-bit words. */
    void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        mti = N;
    }

    /** The next 32-bit output, as an unsigned value in an int. */
    int nextInt() {
        if (mti >= N) {
            if (mti == N + 1) {
                initGenrand(5489);
            }
            int kk = 0;
            for (; kk < N - M; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
            }
            int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
            mti = 0;
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** A double in [0, 1) with 53 random bits: CPython's {@code random()} and numpy's {@code random_sample()}. */
    double nextDouble() {
        long a = (nextInt() >>> 5) & 0xffffffffL;
        long b = (nextInt() >>> 6) & 0xffffffffL;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** The 32-bit words of a non-negative integer, least significant first; {@code [0]} for zero. */
    static int[] words(java.math.BigInteger value) {
        if (value.signum() == 0) {
            return new int[] {0};
        }
        int count = (value.bitLength() + 31) / 32;
        int[] key = new int[count];
        for (int w = 0; w < count; w++) {
            key[w] = value.shiftRight(32 * w).intValue();
        }
        return key;
    }
}
