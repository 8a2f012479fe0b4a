package dev.schedbench.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Turns the bytes of a streamed {@code /v1/completions} response into a {@link StreamOutcome}, as
 * they arrive, however the server's writes were cut. Follows the event-stream format: {@code :}
 * comment lines and {@code event:}/{@code id:}/{@code retry:} fields are ignored, each {@code data:}
 * line is one chunk (OpenAI-compatible servers never split a chunk over lines), {@code [DONE]} ends
 * the completion. A chunk with text timestamps a token; usage-only chunks ({@code choices: []}) only
 * give {@code completion_tokens}; an error event, a line that is not an event-stream field or a chunk
 * that is not JSON fails the request. Token times go to a primitive array; nothing is allocated per
 * token beyond text growth. One parser per request, used from one thread at a time.
 */
final class CompletionStreamParser {

    private static final int MAX_LINE_SHOWN = 80;

    private final long startNanos;
    private final TokenTally tally;
    private final ChunkScanner scanner = new ChunkScanner();
    private final StringBuilder text = new StringBuilder(256);
    private byte[] line = new byte[512];
    private int lineLength;
    private boolean skipNextLf;
    private long[] tokenNanos = new long[64];
    private int tokens;
    private long completionTokens = -1;
    private long doneNanos = -1;
    private long endNanos = -1;
    private String error;

    CompletionStreamParser(long startNanos, TokenTally tally) {
        this.startNanos = startNanos;
        this.tally = tally;
    }

    /** Whether the outcome is settled: failed, or {@code [DONE]} seen. */
    boolean settled() {
        return error != null || doneNanos >= 0;
    }

    boolean failed() {
        return error != null;
    }

    void feed(ByteBuffer buffer, long nowNanos) {
        if (buffer.hasArray()) {
            int from = buffer.arrayOffset() + buffer.position();
            feed(buffer.array(), from, from + buffer.remaining(), nowNanos);
            buffer.position(buffer.limit());
        } else {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            feed(copy, 0, copy.length, nowNanos);
        }
    }

    /** Feeds {@code bytes[from, to)}, which arrived at {@code nowNanos}. */
    void feed(byte[] bytes, int from, int to, long nowNanos) {
        int i = from;
        if (skipNextLf && i < to) {
            skipNextLf = false;
            if (bytes[i] == '\n') {
                i++;
            }
        }
        int lineStart = i;
        while (i < to && error == null) {
            byte b = bytes[i];
            if (b != '\n' && b != '\r') {
                i++;
                continue;
            }
            if (lineLength == 0) {
                line(bytes, lineStart, i, nowNanos);
            } else {
                append(bytes, lineStart, i);
                line(line, 0, lineLength, nowNanos);
                lineLength = 0;
            }
            i++;
            if (b == '\r') {
                if (i < to) {
                    if (bytes[i] == '\n') {
                        i++;
                    }
                } else {
                    skipNextLf = true;
                }
            }
            lineStart = i;
        }
        if (error == null && lineStart < to) {
            append(bytes, lineStart, to);
        }
    }

    /** The body ended normally; a last line without a line break still counts. */
    void endOfStream(long nowNanos) {
        if (error == null && lineLength > 0) {
            line(line, 0, lineLength, nowNanos);
            lineLength = 0;
        }
        endNanos = nowNanos;
    }

    /** The body broke off (connection reset, timeout …). */
    void broken(String why) {
        if (error == null && doneNanos < 0) {
            error = why;
        }
    }

    StreamOutcome outcome() {
        long ttft = tokens > 0 ? tokenNanos[0] - startNanos : 0;
        long[] gaps = new long[Math.max(0, tokens - 1)];
        for (int k = 1; k < tokens; k++) {
            gaps[k - 1] = tokenNanos[k] - tokenNanos[k - 1];
        }
        if (error != null) {
            return new StreamOutcome(ttft, 0, gaps, text.toString(), completionTokens(), error);
        }
        if (tokens == 0) {
            return new StreamOutcome(0, 0, gaps, text.toString(), completionTokens(), StreamOutcome.NO_VALID_CHUNK);
        }
        long end = doneNanos >= 0 ? doneNanos : endNanos >= 0 ? endNanos : tokenNanos[tokens - 1];
        return new StreamOutcome(ttft, end - startNanos, gaps, text.toString(), completionTokens(), "");
    }

    private OptionalLong completionTokens() {
        return completionTokens >= 0 ? OptionalLong.of(completionTokens) : OptionalLong.empty();
    }

    private void append(byte[] bytes, int from, int to) {
        int length = to - from;
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(bytes, from, line, lineLength, length);
        lineLength += length;
    }

    private void line(byte[] b, int from, int to, long nowNanos) {
        if (from == to || doneNanos >= 0) {
            return; // blank line ends an event; nothing counts after [DONE]
        }
        if (b[from] == ':') {
            return;
        }
        if (startsWith(b, from, to, "data:")) {
            int p = from + 5;
            if (p < to && b[p] == ' ') {
                p++;
            }
            data(b, p, to, nowNanos);
        } else if (!startsWith(b, from, to, "event:") && !startsWith(b, from, to, "id:") && !startsWith(b, from, to, "retry:")) {
            error = "unexpected line in the event stream: " + shown(b, from, to);
        }
    }

    private void data(byte[] b, int from, int to, long nowNanos) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        if (from == to) {
            return;
        }
        if (to - from == 6 && startsWith(b, from, to, "[DONE]")) {
            doneNanos = nowNanos;
            return;
        }
        try {
            scanner.scan(b, from, to, text);
        } catch (ChunkScanner.MalformedChunkException e) {
            error = "malformed chunk (" + e.getMessage() + "): " + shown(b, from, to);
            return;
        }
        if (scanner.errorMessage != null) {
            error = "server error: " + scanner.errorMessage;
            return;
        }
        if (scanner.completionTokens >= 0) {
            completionTokens = scanner.completionTokens;
        }
        if (scanner.textChars > 0) {
            if (tokens == tokenNanos.length) {
                tokenNanos = Arrays.copyOf(tokenNanos, tokens * 2);
            }
            tokenNanos[tokens++] = nowNanos;
            tally.add(1);
        }
    }

    private static boolean startsWith(byte[] b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String shown(byte[] b, int from, int to) {
        String s = new String(b, from, Math.min(to - from, MAX_LINE_SHOWN * 4), StandardCharsets.UTF_8);
        return "'" + (s.length() > MAX_LINE_SHOWN ? s.substring(0, MAX_LINE_SHOWN) + "..." : s) + "'";
    }
}
