package dev.schedbench.sim.engine;

/** One planned engine step, as an observer sees it (read-only; valid during {@link EngineListener#onStep}). */
public interface StepView {

    long index();

    long startNanos();

    long durationNanos();

    /** Sequences scheduled in this step. */
    int seqs();

    /** Tokens scheduled in this step (prefill chunks plus one per decode). */
    int tokens();

    int prefillSeqs();

    int decodeSeqs();

    /** Requests preempted while this step was planned. */
    int preemptions();

    int usedGpuBlocks();

    int totalGpuBlocks();

    int usedCpuBlocks();

    int waiting();

    int running();

    int swapped();

    /** The slots scheduled in this step, in batch order (a copy). */
    int[] scheduledSlots();

    /** Σ GPU blocks held by live requests, recounted from scratch (for invariant checks). */
    int blocksHeldByRequests();

    EngineSettings settings();
}
