package dev.schedbench.sim;

import java.util.Arrays;
import java.util.Optional;

/**
 * One request of a virtual run. Times are nanoseconds since the start of the run.
 *
 * @param index            position in the arrival list
 * @param requestId        the request's id
 * @param promptTokens     prompt length
 * @param outputTokens     tokens produced
 * @param priority         the priority it carried
 * @param arrivalNanos     when it arrived
 * @param firstTokenNanos  when its first token was produced (0 if none)
 * @param finishNanos      when it finished (0 if rejected)
 * @param tokenNanos       each token's time, or empty when the run kept only endpoints
 * @param preemptions      how often it was preempted
 * @param finishReason     vLLM's finish_reason, {@code stop} or {@code length}; empty if it failed
 * @param error            why it failed (rejected at submit, out of swap space), if it did
 */
public record RequestTiming(
        int index,
        String requestId,
        int promptTokens,
        int outputTokens,
        long priority,
        long arrivalNanos,
        long firstTokenNanos,
        long finishNanos,
        long[] tokenNanos,
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
        if (tokenNanos.length < 2) {
            return new long[0];
        }
        long[] gaps = new long[tokenNanos.length - 1];
        for (int i = 1; i < tokenNanos.length; i++) {
            gaps[i - 1] = tokenNanos[i] - tokenNanos[i - 1];
        }
        return gaps;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequestTiming r && index == r.index && requestId.equals(r.requestId)
                && promptTokens == r.promptTokens && outputTokens == r.outputTokens && priority == r.priority
                && arrivalNanos == r.arrivalNanos && firstTokenNanos == r.firstTokenNanos
                && finishNanos == r.finishNanos && Arrays.equals(tokenNanos, r.tokenNanos)
                && preemptions == r.preemptions && finishReason.equals(r.finishReason) && error.equals(r.error);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * index + Long.hashCode(finishNanos)) + Arrays.hashCode(tokenNanos);
    }

    @Override
    public String toString() {
        return "RequestTiming[" + index + " " + requestId + ", prompt " + promptTokens + ", out " + outputTokens
                + ", arrival " + arrivalNanos + ", first " + firstTokenNanos + ", finish " + finishNanos
                + ", preemptions " + preemptions + ", " + finishReason + error.map(e -> ", error " + e).orElse("") + "]";
    }
}
