package dev.schedbench.sim.engine;

/** vLLM's {@code --preemption-mode}. */
public enum PreemptionMode {
    /** vLLM's default: recompute a single-sequence request (every request here has n = 1). */
    AUTO,
    RECOMPUTE,
    /** Move the KV blocks to CPU swap space; swapped requests resume before any new prefill. */
    SWAP
}
