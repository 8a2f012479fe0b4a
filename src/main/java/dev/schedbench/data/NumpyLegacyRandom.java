package dev.schedbench.data;

import java.math.BigInteger;

/**
 * A port of numpy's legacy {@code RandomState} as far as vLLM's benchmark uses it:
 * {@code np.random.seed(s)} then {@code np.random.gamma(burstiness, theta)} per request. With the same
 * seed the inter-arrival times equal those of {@code benchmark_serving.py}, to the last bit where
 * the platform's libm is correctly rounded.
 */
public final class NumpyLegacyRandom {

    private static final BigInteger MAX_LEGACY_SEED = BigInteger.valueOf(0xffffffffL);

    private final Mt19937 mt = new Mt19937();
    private double gauss;
    private boolean hasGauss;

    /**
     * {@code np.random.seed(seed)}. Seeds in [0, 2^32) use numpy's 32-bit seeding; numpy refuses
     * others, so they fall back to seeding from the value's 32-bit words (what numpy does for arrays).
     */
    public NumpyLegacyRandom(long seed) {
        BigInteger value = BigInteger.valueOf(seed);
        if (value.signum() >= 0 && value.compareTo(MAX_LEGACY_SEED) <= 0) {
            mt.initGenrand((int) seed);
        } else {
            mt.initByArray(Mt19937.words(value.abs()));
        }
    }

    /** {@code random_sample()}: a double in [0, 1). */
    public double randomSample() {
        return mt.nextDouble();
    }

    /** {@code standard_exponential()} (legacy): {@code -log(1 - U)}. */
    public double standardExponential() {
        return -Math.log(1.0 - randomSample());
    }

    /** Legacy {@code gauss}: the polar method, second value kept. */
    public double standardNormal() {
        if (hasGauss) {
            hasGauss = false;
            double value = gauss;
            gauss = 0.0;
            return value;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code gamma(shape, scale)}: legacy {@code standard_gamma} (Marsaglia–Tsang for shape > 1) times scale. */
    public double gamma(double shape, double scale) {
        return scale * standardGamma(shape);
    }

    private double standardGamma(double shape) {
        if (shape == 1.0) {
            return standardExponential();
        }
        if (shape == 0.0) {
            return 0.0;
        }
        if (shape < 1.0) {
            while (true) {
                double u = randomSample();
                double v = standardExponential();
                if (u <= 1.0 - shape) {
                    double x = Math.pow(u, 1.0 / shape);
                    if (x <= v) {
                        return x;
                    }
                } else {
                    double y = -Math.log((1 - u) / shape);
                    double x = Math.pow(1.0 - shape + shape * y, 1.0 / shape);
                    if (x <= v + y) {
                        return x;
                    }
                }
            }
        }
        double b = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * b);
        while (true) {
            double x;
            double v;
            do {
                x = standardNormal();
                v = 1.0 + c * x;
            } while (v <= 0.0);
            v = v * v * v;
            double u = randomSample();
            if (u < 1.0 - 0.0331 * (x * x) * (x * x)) {
                return b * v;
            }
            if (Math.log(u) < 0.5 * x * x + b * (1.0 - v + Math.log(v))) {
                return b * v;
            }
        }
    }
}
