package dev.schedbench.sim.profile;

/** Which vLLM scheduler a profile stands for. */
public enum EngineGeneration {
    /**
     * vLLM 0.6.x ({@code vllm/core/scheduler.py}): prefill-first steps, chunked prefill only when asked
     * for or for contexts over 32K, and then without priorities; the seed's fork is built on it.
     */
    V0,
    /**
     * A V1-style engine ({@code vllm/v1/core/sched/scheduler.py}): one token budget, chunked prefill
     * always on, waiting queue FIFO or a heap on {@code (priority, arrival)}, preemption only when a
     * running request cannot get KV blocks.
     */
    V1
}
