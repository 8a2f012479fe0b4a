package dev.schedbench.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decodes HTTP/1.1 responses from a connection's bytes, one response at a time: status line and
 * headers, then a chunked, sized or close-delimited body. A 200's body goes to the sink as it arrives
 * (framing removed); any other status's body is collected (bounded) and handed over whole. Interim 1xx
 * responses are skipped. Not thread-safe: one per connection, used by its I/O thread.
 */
final class Http1ResponseDecoder {

    /** What the decoder found. Exactly one of the ending calls comes per response. */
    interface Sink {
        /** Body bytes of a 200 response; returns false when the reader wants no more (its stream failed). */
        boolean body(byte[] bytes, int from, int to, long nowNanos);

        /** A 200 response ended; {@code keepAlive}: the connection may carry another request. */
        void complete(long nowNanos, boolean keepAlive);

        /** A response with another status ended, with its body. */
        void httpError(int status, byte[] body, boolean keepAlive);

        /** The bytes are not a well-formed response. */
        void malformed(String why);
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, SIZED, UNTIL_CLOSE, DONE }

    private final Sink sink;
    private State state = State.DONE;
    private byte[] head = new byte[1024];
    private int headLength;
    private int status;
    private boolean keepAlive;
    private long remaining;
    private long chunkSize;
    private boolean chunkSizeDigits;
    private boolean chunkExtension;
    private int trailerLineLength;
    private byte[] error;
    private int errorLength;

    Http1ResponseDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Expects a new response. */
    void begin() {
        state = State.HEAD;
        headLength = 0;
        error = null;
        errorLength = 0;
    }

    /** Whether the current response has ended (or none was begun). */
    boolean done() {
        return state == State.DONE;
    }

    void feed(byte[] b, int from, int to, long now) {
        int i = from;
        while (i < to && state != State.DONE) {
            switch (state) {
                case HEAD -> i = head(b, i, to, now);
                case CHUNK_SIZE -> i = chunkSize(b, i, to, now);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkSize, to - i);
                    chunkSize -= n;
                    if (chunkSize == 0) {
                        state = State.CHUNK_DATA_END;
                        remaining = 2;
                    }
                    if (!body(b, i, i + n, now)) {
                        return;
                    }
                    i += n;
                }
                case CHUNK_DATA_END -> {
                    i++; // the CRLF after a chunk's data
                    if (--remaining == 0) {
                        startChunk();
                    }
                }
                case TRAILER -> i = trailer(b, i, to, now);
                case SIZED -> {
                    int n = (int) Math.min(remaining, to - i);
                    remaining -= n;
                    if (!body(b, i, i + n, now)) {
                        return;
                    }
                    i += n;
                    if (remaining == 0) {
                        end(now, keepAlive);
                    }
                }
                case UNTIL_CLOSE -> {
                    if (!body(b, i, to, now)) {
                        return;
                    }
                    i = to;
                }
                case DONE -> {
                    return;
                }
            }
        }
    }

    /**
     * The connection's input ended. Returns true when that ended the response properly (a
     * close-delimited body), false when it cut the response off.
     */
    boolean endOfInput(long now) {
        if (state == State.UNTIL_CLOSE) {
            end(now, false);
            return true;
        }
        return false;
    }

    /** Passes body bytes on (200) or keeps them (other statuses); false stops decoding. */
    private boolean body(byte[] b, int from, int to, long now) {
        if (status != 200) {
            collect(b, from, to);
            return true;
        }
        if (!sink.body(b, from, to, now)) {
            state = State.DONE;
            return false;
        }
        return true;
    }

    private void end(long now, boolean reusable) {
        state = State.DONE;
        if (status == 200) {
            sink.complete(now, reusable);
        } else {
            sink.httpError(status, error == null ? new byte[0] : Arrays.copyOf(error, errorLength), reusable);
        }
    }

    private int head(byte[] b, int i, int to, long now) {
        while (i < to) {
            if (headLength == head.length) {
                if (head.length >= MAX_HEADER_BYTES) {
                    fail("response headers too large");
                    return to;
                }
                head = Arrays.copyOf(head, head.length * 2);
            }
            head[headLength++] = b[i++];
            if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                    && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                headers(now);
                return i;
            }
        }
        return i;
    }

    private void headers(long now) {
        String[] lines = new String(head, 0, headLength, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        try {
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new NumberFormatException();
            }
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            fail("not an HTTP response: " + lines[0]);
            return;
        }
        if (status >= 100 && status < 200) {
            headLength = 0; // an interim response; the real one follows
            return;
        }
        long contentLength = -1;
        boolean chunked = false;
        keepAlive = !statusLine[0].equals("HTTP/1.0");
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[k].substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            try {
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> keepAlive = value.contains("keep-alive") || !value.contains("close") && keepAlive;
                    default -> { }
                }
            } catch (NumberFormatException e) {
                fail("bad content-length in the response: " + value);
                return;
            }
        }
        if (chunked) {
            startChunk();
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = State.SIZED;
            if (contentLength == 0) {
                end(now, keepAlive);
            }
        } else {
            keepAlive = false;
            state = State.UNTIL_CLOSE;
        }
    }

    private void startChunk() {
        state = State.CHUNK_SIZE;
        chunkSize = 0;
        chunkSizeDigits = false;
        chunkExtension = false;
    }

    private int chunkSize(byte[] b, int i, int to, long now) {
        while (i < to) {
            byte c = b[i++];
            if (c == '\n') {
                if (!chunkSizeDigits) {
                    fail("bad chunk size in the response");
                    return to;
                }
                if (chunkSize == 0) {
                    state = State.TRAILER;
                    trailerLineLength = 0;
                } else {
                    state = State.CHUNK_DATA;
                }
                return i;
            }
            if (c == '\r' || chunkExtension) {
                continue;
            }
            if (c == ';') {
                chunkExtension = true;
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0 || chunkSize > (Long.MAX_VALUE >> 4)) {
                fail("bad chunk size in the response");
                return to;
            }
            chunkSize = chunkSize * 16 + digit;
            chunkSizeDigits = true;
        }
        return i;
    }

    /** After the last chunk: trailer lines until an empty one, then the response is complete. */
    private int trailer(byte[] b, int i, int to, long now) {
        while (i < to) {
            byte c = b[i++];
            if (c == '\n') {
                if (trailerLineLength == 0) {
                    end(now, keepAlive);
                    return i;
                }
                trailerLineLength = 0;
            } else if (c != '\r') {
                trailerLineLength++;
            }
        }
        return i;
    }

    private void collect(byte[] b, int from, int to) {
        if (error == null) {
            error = new byte[1024];
        }
        int n = Math.min(to - from, MAX_ERROR_BODY - errorLength);
        if (n <= 0) {
            return;
        }
        if (errorLength + n > error.length) {
            error = Arrays.copyOf(error, Math.max(error.length * 2, errorLength + n));
        }
        System.arraycopy(b, from, error, errorLength, n);
        errorLength += n;
    }

    private void fail(String why) {
        state = State.DONE;
        sink.malformed(why);
    }
}
