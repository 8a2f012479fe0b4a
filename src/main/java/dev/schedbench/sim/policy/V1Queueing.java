package dev.schedbench.sim.policy;

/**
 * How a policy maps onto a V1-style engine, whose scheduler only knows two waiting queues: a FIFO
 * deque and a heap on {@code (priority, arrival)}. Preemption there happens only when a running
 * request cannot get KV blocks.
 */
public enum V1Queueing {
    /** FIFO waiting queue; the last admitted running request is the victim. */
    FIFO,
    /** Heap on {@code (priority, arrival)}; the running request with the largest key is the victim. */
    PRIORITY
}
