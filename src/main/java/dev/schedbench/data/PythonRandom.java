package dev.schedbench.data;

import java.math.BigInteger;
import java.util.List;

/**
 * A port of CPython's {@code random.Random} (3.11+): seeding an integer, {@code random()},
 * {@code getrandbits}, {@code _randbelow}, {@code shuffle} and {@code gauss}. Same seed, same
 * sequence as the seed's scripts ({@code random.seed(0); random.shuffle(...)}, the fork's
 * {@code add_noise.py} with {@code random.seed(585)}). Not thread-safe, like its original.
 */
public final class PythonRandom {

    private static final double TWO_PI = 2.0 * Math.PI;

    private final Mt19937 mt = new Mt19937();
    private double gaussNext;
    private boolean hasGaussNext;

    public PythonRandom(long seed) {
        seed(seed);
    }

    public PythonRandom(BigInteger seed) {
        seed(seed);
    }

    /** {@code random.seed(n)} for an integer: the absolute value's 32-bit words feed {@code init_by_array}. */
    public void seed(long seed) {
        seed(BigInteger.valueOf(seed));
    }

    public void seed(BigInteger seed) {
        mt.initByArray(Mt19937.words(seed.abs()));
        hasGaussNext = false;
    }

    /** A float in [0, 1). */
    public double random() {
        return mt.nextDouble();
    }

    /** {@code getrandbits(k)} for {@code 0 <= k <= 63}. */
    public long getrandbits(int k) {
        if (k < 0 || k > 63) {
            throw new IllegalArgumentException("getrandbits supports 0..63 bits, got " + k);
        }
        if (k == 0) {
            return 0;
        }
        if (k <= 32) {
            return (mt.nextInt() >>> (32 - k)) & 0xffffffffL;
        }
        long low = mt.nextInt() & 0xffffffffL;
        long high = (mt.nextInt() >>> (64 - k)) & 0xffffffffL;
        return (high << 32) | low;
    }

    /** {@code _randbelow(n)}: uniform in [0, n) by rejection on {@code n.bit_length()} bits. */
    public long randbelow(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("randbelow needs n > 0, got " + n);
        }
        int k = 64 - Long.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return r;
    }

    /** {@code randint(a, b)}: uniform in [a, b]. */
    public long randint(long a, long b) {
        if (b < a) {
            throw new IllegalArgumentException("empty range for randint(" + a + ", " + b + ")");
        }
        return a + randbelow(b - a + 1);
    }

    /** {@code shuffle(x)} in place (Fisher–Yates from the end, as CPython). */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = (int) randbelow(i + 1L);
            list.set(i, list.set(j, list.get(i)));
        }
    }

    /** {@code shuffle(x)} of an int array in place. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = (int) randbelow(i + 1L);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /**
     * {@code gauss(mu, sigma)}: Box–Muller with the second value kept for the next call, as CPython.
     * Math (not StrictMath) because its log agrees with the C library CPython calls where fdlibm's is one ulp off.
     */
    public double gauss(double mu, double sigma) {
        double z;
        if (hasGaussNext) {
            z = gaussNext;
            hasGaussNext = false;
        } else {
            double x2pi = random() * TWO_PI;
            double g2rad = Math.sqrt(-2.0 * Math.log(1.0 - random()));
            z = Math.cos(x2pi) * g2rad;
            gaussNext = Math.sin(x2pi) * g2rad;
            hasGaussNext = true;
        }
        return mu + z * sigma;
    }
}
