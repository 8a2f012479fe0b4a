package dev.schedbench.sim;

/**
 * A simulated engine's state, as vLLM's {@code /metrics} reports it.
 *
 * @param running           requests in the running batch
 * @param waiting           requests waiting for admission
 * @param swapped           requests swapped out to CPU
 * @param gpuCacheUsage     fraction of GPU KV blocks in use, 0..1
 * @param cpuCacheUsage     fraction of CPU swap blocks in use, 0..1
 * @param preemptionsTotal  preemptions since start
 * @param promptTokensTotal prefilled prompt tokens since start (recomputation included, as vLLM counts)
 * @param generationTokensTotal generated tokens since start
 * @param requestsFinishedStop   requests that ended at their natural end
 * @param requestsFinishedLength requests that ended at max_tokens
 * @param steps             engine steps since start
 */
public record EngineSnapshot(
        int running,
        int waiting,
        int swapped,
        double gpuCacheUsage,
        double cpuCacheUsage,
        long preemptionsTotal,
        long promptTokensTotal,
        long generationTokensTotal,
        long requestsFinishedStop,
        long requestsFinishedLength,
        long steps) {}
