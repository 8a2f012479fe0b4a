package dev.schedbench.sim;

import java.util.List;

/**
 * What a virtual-time run produced.
 *
 * @param requests      every request in arrival order
 * @param steps         per-step statistics
 * @param durationNanos from time 0 to the end of the last step
 * @param preemptions   preemptions in all
 * @param outputTokens  tokens generated in all
 * @param promptTokensComputed prompt tokens prefilled in all, recomputations included
 */
public record VirtualResult(
        List<RequestTiming> requests,
        StepTrace steps,
        long durationNanos,
        long preemptions,
        long outputTokens,
        long promptTokensComputed) {

    public VirtualResult {
        requests = List.copyOf(requests);
    }
}
