package dev.schedbench.sim.engine;

import dev.schedbench.sim.profile.IterationCosts;

/**
 * How long one engine step takes:
 * {@code T = c0 + c1·B + sqrt(F² + (κ·N)²) + γ·Σ decode context + δ·Σ prefill pairs + swap bytes / link}.
 * The square root blends the launch-bound floor into the compute-bound line (a soft roofline).
 */
final class IterationTimeModel {

    private final double c0;
    private final double c1;
    private final double floor;
    private final double kappa;
    private final double gamma;
    private final double delta;
    private final double swapMicrosPerBlock;

    IterationTimeModel(IterationCosts costs, long blockBytes) {
        this.c0 = costs.c0Millis() * 1000;
        this.c1 = costs.c1Micros();
        this.floor = costs.floorMillis() * 1000;
        this.kappa = costs.kappaMicros();
        this.gamma = costs.gammaMicros();
        this.delta = costs.deltaMicros();
        this.swapMicrosPerBlock = blockBytes / (costs.swapGigabytesPerSecond() * 1e9) * 1e6;
    }

    /**
     * @param seqs           sequences in the step
     * @param tokens         tokens in the step
     * @param decodeContext  Σ context length over decoding sequences
     * @param prefillPairs   Σ causal query·key pairs over prefill chunks
     * @param swapBlocks     blocks swapped in or out
     */
    long nanos(int seqs, long tokens, long decodeContext, double prefillPairs, long swapBlocks) {
        double micros = c0 + swapBlocks * swapMicrosPerBlock;
        if (seqs > 0) {
            double compute = kappa * tokens;
            micros += c1 * seqs + Math.sqrt(floor * floor + compute * compute) + gamma * decodeContext + delta * prefillPairs;
        }
        return Math.round(micros * 1000);
    }
}
