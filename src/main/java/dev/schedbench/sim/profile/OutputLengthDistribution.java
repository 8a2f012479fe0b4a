package dev.schedbench.sim.profile;

/**
 * The natural (end-of-sequence) output length of a prompt: lognormal with this median and log-space
 * standard deviation, rounded and clamped to {@code [min, max]}.
 */
public record OutputLengthDistribution(double median, double sigma, int min, int max) {

    public OutputLengthDistribution {
        if (!(median >= 1) || Double.isInfinite(median)) {
            throw new IllegalArgumentException("output_length.median must be a finite number >= 1, got " + median);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("output_length.sigma must be a finite number >= 0, got " + sigma);
        }
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("output_length needs 1 <= min <= max, got min " + min + ", max " + max);
        }
    }

    /** The length at standard-normal deviate {@code z}. */
    public int lengthAt(double z) {
        double raw = median * Math.exp(sigma * z);
        long rounded = Math.round(raw);
        return (int) Math.max(min, Math.min(max, rounded));
    }
}
