package dev.schedbench.sim.profile;

/**
 * The constants of the iteration-time model
 * {@code T = c0 + c1·B + sqrt(F² + (κ·N)²) + γ·Σ decode context + δ·Σ prefill query·key pairs + swap}.
 *
 * @param c0Millis          fixed CPU cost per step (scheduler, input preparation)
 * @param c1Micros          CPU cost per scheduled sequence
 * @param floorMillis       F: the launch-bound floor of a forward pass
 * @param kappaMicros       κ: compute time per token in the step
 * @param gammaMicros       γ: time per context token read by a decoding sequence (KV bandwidth)
 * @param deltaMicros       δ: time per causal query·key pair in a prefill chunk
 * @param swapGigabytesPerSecond host link bandwidth for swapping KV blocks
 * @param jitterFraction    standard deviation of the live-mode Gaussian jitter, as a fraction of T
 */
public record IterationCosts(
        double c0Millis,
        double c1Micros,
        double floorMillis,
        double kappaMicros,
        double gammaMicros,
        double deltaMicros,
        double swapGigabytesPerSecond,
        double jitterFraction) {

    public IterationCosts {
        requireNonNegative("c0_ms", c0Millis);
        requireNonNegative("c1_us", c1Micros);
        requireNonNegative("f_ms", floorMillis);
        requireNonNegative("kappa_us", kappaMicros);
        requireNonNegative("gamma_us", gammaMicros);
        requireNonNegative("delta_us", deltaMicros);
        requireNonNegative("jitter", jitterFraction);
        if (!(swapGigabytesPerSecond > 0) || Double.isInfinite(swapGigabytesPerSecond)) {
            throw new IllegalArgumentException("swap_gb_per_s must be a finite number > 0, got " + swapGigabytesPerSecond);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
