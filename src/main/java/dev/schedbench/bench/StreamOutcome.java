package dev.schedbench.bench;

import java.util.OptionalLong;

/**
 * What one streamed completion produced, as the client saw it. Latencies are nanoseconds from the
 * request's send.
 *
 * @param ttftNanos        time to the first chunk carrying text, 0 when none came
 * @param e2elNanos        time to {@code [DONE]} (or to the end of the body), 0 when the request failed
 * @param itlNanos         gaps between successive chunks carrying text
 * @param text             the text generated
 * @param completionTokens the server's {@code usage.completion_tokens}, when it sent usage
 * @param error            empty on success, else why the request failed
 */
public record StreamOutcome(
        long ttftNanos, long e2elNanos, long[] itlNanos, String text, OptionalLong completionTokens, String error) {

    static final String NO_VALID_CHUNK =
            "Never received a valid chunk to calculate TTFT. This response will be marked as failed!";

    public static StreamOutcome failed(String error) {
        return new StreamOutcome(0, 0, new long[0], "", OptionalLong.empty(), error);
    }

    public boolean success() {
        return error.isEmpty();
    }

    /** Chunks that carried text: the first plus one per gap. */
    public int textChunks() {
        return ttftNanos > 0 || itlNanos.length > 0 ? itlNanos.length + 1 : 0;
    }
}
