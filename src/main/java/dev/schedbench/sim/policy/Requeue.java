package dev.schedbench.sim.policy;

/** Where a request preempted by recomputation goes back into the waiting queue. */
public enum Requeue {
    /** vLLM's {@code waiting.appendleft}: served next. */
    FRONT,
    /** The seed's round-robin {@code waiting.append}: served after everyone already waiting. */
    BACK
}
