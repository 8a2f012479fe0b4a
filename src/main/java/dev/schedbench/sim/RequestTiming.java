package dev.schedbench.sim;

import java.util.Optional;

/**
 * One request of a virtual run. Times are nanoseconds since the start of the run.
 *
 * @param index            position in the arrival list
 * @param requestId        the request's id
 * @param promptTokens     prompt length
 * @param outputTokens     tokens produced
 * @param maxTokens        its {@code max_tokens}
 * @param priority         the priority it carried
 * @param scheduledNanos   when it was due (its place in the arrival list)
 * @param arrivalNanos     when it reached the engine: the scheduled time, or later under a concurrency limit
 * @param firstTokenNanos  when its first token was produced (0 if none)
 * @param finishNanos      when it finished (its send time if rejected)
 * @param tokens           each token's time, or empty when the run kept only endpoints
 * @param preemptions      how often it was preempted
 * @param finishReason     vLLM's finish_reason, {@code stop} or {@code length}; empty if it failed
 * @param error            why it failed (rejected at submit, out of swap space), if it did
 */
public record RequestTiming(
        int index,
        String requestId,
        int promptTokens,
        int outputTokens,
        int maxTokens,
        long priority,
        long scheduledNanos,
        long arrivalNanos,
        long firstTokenNanos,
        long finishNanos,
        TokenTimeline tokens,
        int preemptions,
        String finishReason,
        Optional<String> error) {

    public boolean success() {
        return error.isEmpty();
    }

    public long ttftNanos() {
        return firstTokenNanos - arrivalNanos;
    }

    public long e2eNanos() {
        return finishNanos - arrivalNanos;
    }

    /** Gaps between successive tokens; empty when token times were not kept. */
    public long[] itlNanos() {
        return tokens.gaps();
    }

    @Override
    public String toString() {
        return "RequestTiming[" + index + " " + requestId + ", prompt " + promptTokens + ", out " + outputTokens
                + ", arrival " + arrivalNanos + ", first " + firstTokenNanos + ", finish " + finishNanos
                + ", preemptions " + preemptions + ", " + finishReason + error.map(e -> ", error " + e).orElse("") + "]";
    }
}
