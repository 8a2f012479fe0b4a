package dev.schedbench.model;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Everything measured about one benchmark request. Times are nanoseconds; send times are relative to
 * the start of the run's arrival schedule, latencies relative to the actual send.
 *
 * @param index              position in the sampled request list
 * @param promptTokens       prompt length in tokens
 * @param outputTokens       generated tokens (from the server's usage, else counted), 0 if failed
 * @param maxTokens          the {@code max_tokens} asked for
 * @param priority           the priority sent, if one was sent
 * @param priorityClass      the request's priority class (quartile or bin), 0 when there are no classes
 * @param scheduledSendNanos when the schedule said to send
 * @param actualSendNanos    when the request was actually sent
 * @param ttftNanos          time to first token, 0 if none arrived
 * @param e2elNanos          end-to-end latency, 0 if failed
 * @param itlNanos           gaps between successive tokens (chunks carrying text) after the first
 * @param generatedText      the text generated
 * @param error              empty when the request succeeded, else why it failed
 */
public record RequestRecord(
        int index,
        int promptTokens,
        int outputTokens,
        int maxTokens,
        OptionalLong priority,
        int priorityClass,
        long scheduledSendNanos,
        long actualSendNanos,
        long ttftNanos,
        long e2elNanos,
        long[] itlNanos,
        String generatedText,
        String error) {

    public boolean success() {
        return error.isEmpty();
    }

    /** How late the send was against its schedule. */
    public long sendLagNanos() {
        return actualSendNanos - scheduledSendNanos;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequestRecord r
                && index == r.index && promptTokens == r.promptTokens && outputTokens == r.outputTokens
                && maxTokens == r.maxTokens && priority.equals(r.priority) && priorityClass == r.priorityClass
                && scheduledSendNanos == r.scheduledSendNanos && actualSendNanos == r.actualSendNanos
                && ttftNanos == r.ttftNanos && e2elNanos == r.e2elNanos && Arrays.equals(itlNanos, r.itlNanos)
                && generatedText.equals(r.generatedText) && error.equals(r.error);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(index) + Arrays.hashCode(itlNanos);
    }

    @Override
    public String toString() {
        return "RequestRecord[index=" + index + ", promptTokens=" + promptTokens + ", outputTokens=" + outputTokens
                + ", ttftNanos=" + ttftNanos + ", e2elNanos=" + e2elNanos + ", itls=" + itlNanos.length
                + ", error=" + error + "]";
    }
}
