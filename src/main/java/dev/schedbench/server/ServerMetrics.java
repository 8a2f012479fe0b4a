package dev.schedbench.server;

import dev.schedbench.model.RunEvent;
import java.util.OptionalDouble;

/**
 * A vLLM server's own state, read from its {@code /metrics}. Gauges and counters that only some vLLM
 * versions export are optional.
 *
 * @param running               {@code vllm:num_requests_running}
 * @param waiting               {@code vllm:num_requests_waiting}
 * @param kvCacheUsage          {@code vllm:kv_cache_usage_perc}, or 0.6's {@code vllm:gpu_cache_usage_perc}; 0..1
 * @param preemptionsTotal      {@code vllm:num_preemptions_total}
 * @param swapped               {@code vllm:num_requests_swapped} (vLLM 0.6)
 * @param cpuCacheUsage         {@code vllm:cpu_cache_usage_perc} (vLLM 0.6)
 * @param promptTokensTotal     {@code vllm:prompt_tokens_total}
 * @param generationTokensTotal {@code vllm:generation_tokens_total}
 * @param requestsSucceeded     {@code vllm:request_success_total}, over every finish reason
 */
public record ServerMetrics(
        double running,
        double waiting,
        double kvCacheUsage,
        double preemptionsTotal,
        OptionalDouble swapped,
        OptionalDouble cpuCacheUsage,
        OptionalDouble promptTokensTotal,
        OptionalDouble generationTokensTotal,
        OptionalDouble requestsSucceeded) {

    /** The event the live charts and the store record, stamped with the run's elapsed time. */
    public RunEvent.ServerState toEvent(long elapsedNanos) {
        return new RunEvent.ServerState(elapsedNanos, running, waiting, kvCacheUsage, preemptionsTotal);
    }
}
