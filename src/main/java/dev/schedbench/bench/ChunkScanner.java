package dev.schedbench.bench;

import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields the benchmark needs from one streamed completion chunk, straight from the
 * event's bytes: {@code choices[0].text} (appended to a caller's buffer), {@code usage.completion_tokens}
 * and an error's message. Every other value is skipped but still checked, so anything that is not one
 * JSON object is refused as malformed. No tree is built and nothing is allocated for ASCII text: this
 * runs once per streamed token.
 */
final class ChunkScanner {

    private static final byte[] CHOICES = ascii("choices");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] OBJECT = ascii("object");

    /** Thrown for bytes that are not a JSON object; the stream's request is failed with its message. */
    static final class MalformedChunkException extends Exception {
        MalformedChunkException(String message) {
            super(message, null, false, false);
        }
    }

    private byte[] buf;
    private int base;
    private int pos;
    private int end;
    private int keyStart;
    private int keyEnd;
    private boolean keyEscaped;
    private final StringBuilder keyText = new StringBuilder();
    private StringBuilder out;
    private int textStart;

    /** Characters of {@code choices[0].text} appended by the last {@link #scan}. */
    int textChars;
    /** {@code usage.completion_tokens} of the last chunk, or -1 when it had none. */
    long completionTokens;
    /** The error's message when the last chunk was an error event, else null. */
    String errorMessage;

    /** Scans {@code bytes[from, to)} as one chunk, appending its text to {@code text}. */
    void scan(byte[] bytes, int from, int to, StringBuilder text) throws MalformedChunkException {
        buf = bytes;
        base = from;
        pos = from;
        end = to;
        out = text;
        textStart = text.length();
        textChars = 0;
        completionTokens = -1;
        errorMessage = null;
        try {
            skipWhitespace();
            if (pos >= end || buf[pos] != '{') {
                throw malformed("expected a JSON object");
            }
            topLevel();
            skipWhitespace();
            if (pos != end) {
                throw malformed("unexpected data after the JSON object");
            }
        } finally {
            buf = null;
            out = null;
        }
    }

    private void topLevel() throws MalformedChunkException {
        boolean errorObject = false;
        String message = null;
        if (!openObject()) {
            return;
        }
        while (true) {
            key();
            if (keyIs(CHOICES)) {
                choices();
            } else if (keyIs(USAGE)) {
                usage();
            } else if (keyIs(ERROR)) {
                errorMessage = error();
            } else if (keyIs(MESSAGE) && peek() == '"') {
                message = stringValue();
            } else if (keyIs(OBJECT) && peek() == '"') {
                errorObject = "error".equals(stringValue());
            } else {
                skipValue();
            }
            if (!nextMember()) {
                break;
            }
        }
        // vLLM's ErrorResponse sent bare rather than wrapped in {"error": ...}
        if (errorMessage == null && errorObject) {
            errorMessage = message == null ? "unknown error" : message;
        }
    }

    private void choices() throws MalformedChunkException {
        if (peek() == 'n') {
            literal("null");
            return;
        }
        expect('[');
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        firstChoice();
        while (true) {
            skipWhitespace();
            byte b = next();
            if (b == ']') {
                return;
            }
            if (b != ',') {
                throw malformed("expected ',' or ']' in choices");
            }
            skipWhitespace();
            skipValue();
        }
    }

    private void firstChoice() throws MalformedChunkException {
        if (peek() != '{') {
            skipValue();
            return;
        }
        if (!openObject()) {
            return;
        }
        while (true) {
            key();
            if (keyIs(TEXT) && peek() == '"') {
                out.setLength(textStart); // a repeated key replaces the earlier value, as in Python's json
                string(true);
                textChars = out.length() - textStart;
            } else {
                skipValue();
            }
            if (!nextMember()) {
                return;
            }
        }
    }

    private void usage() throws MalformedChunkException {
        if (peek() != '{') {
            skipValue();
            return;
        }
        if (!openObject()) {
            return;
        }
        while (true) {
            key();
            if (keyIs(COMPLETION_TOKENS) && (peek() == '-' || isDigit(peek()))) {
                completionTokens = number();
            } else {
                skipValue();
            }
            if (!nextMember()) {
                return;
            }
        }
    }

    private String error() throws MalformedChunkException {
        byte b = peek();
        if (b == '"') {
            return stringValue();
        }
        if (b != '{') {
            skipValue();
            return "unknown error";
        }
        String message = "unknown error";
        if (!openObject()) {
            return message;
        }
        while (true) {
            key();
            if (keyIs(MESSAGE) && peek() == '"') {
                message = stringValue();
            } else {
                skipValue();
            }
            if (!nextMember()) {
                return message;
            }
        }
    }

    /** Reads {@code "key" :}, leaving the key's raw bytes at {@code [keyStart, keyEnd)} (decoded in {@code keyText} if escaped). */
    private void key() throws MalformedChunkException {
        skipWhitespace();
        if (peek() != '"') {
            throw malformed("expected a quoted key");
        }
        pos++;
        keyStart = pos;
        keyEscaped = false;
        while (true) {
            if (pos >= end) {
                throw malformed("unterminated key");
            }
            byte b = buf[pos];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                keyEscaped = true;
                break;
            }
            pos++;
        }
        if (keyEscaped) {
            // rare: decode the whole key so that e.g. "te\u0078t" still reads as "text"
            pos = keyStart - 1;
            StringBuilder saved = out;
            keyText.setLength(0);
            out = keyText;
            try {
                string(true);
            } finally {
                out = saved;
            }
            keyEnd = pos - 1;
        } else {
            keyEnd = pos;
            pos++;
        }
        skipWhitespace();
        expect(':');
        skipWhitespace();
    }

    private boolean keyIs(byte[] wanted) {
        if (keyEscaped) {
            return keyText.toString().equals(new String(wanted, StandardCharsets.US_ASCII));
        }
        if (keyEnd - keyStart != wanted.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (buf[keyStart + i] != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    /** Steps past an object's '{': true when members follow, false when it is empty (its '}' read too). */
    private boolean openObject() throws MalformedChunkException {
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return false;
        }
        return true;
    }

    /** After a member's value: true at ',' (another member follows), false at '}'. */
    private boolean nextMember() throws MalformedChunkException {
        skipWhitespace();
        byte b = next();
        if (b == ',') {
            return true;
        }
        if (b == '}') {
            return false;
        }
        throw malformed("expected ',' or '}' after a value");
    }

    private void skipValue() throws MalformedChunkException {
        skipWhitespace();
        byte b = peek();
        switch (b) {
            case '"' -> string(false);
            case '{' -> {
                if (!openObject()) {
                    return;
                }
                do {
                    key();
                    skipValue();
                } while (nextMember());
            }
            case '[' -> {
                pos++;
                skipWhitespace();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    skipValue();
                    skipWhitespace();
                    byte c = next();
                    if (c == ']') {
                        return;
                    }
                    if (c != ',') {
                        throw malformed("expected ',' or ']' in an array");
                    }
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (b == '-' || isDigit(b)) {
                    skipNumber();
                } else {
                    throw malformed("unexpected character '" + (char) b + "'");
                }
            }
        }
    }

    private void literal(String word) throws MalformedChunkException {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= end || buf[pos] != word.charAt(i)) {
                throw malformed("bad literal, expected " + word);
            }
            pos++;
        }
    }

    private long number() throws MalformedChunkException {
        int start = pos;
        skipNumber();
        boolean integral = true;
        for (int i = start; i < pos; i++) {
            if (!isDigit(buf[i]) && !(i == start && buf[i] == '-')) {
                integral = false;
            }
        }
        if (integral && pos - start < 19) {
            long value = 0;
            boolean negative = buf[start] == '-';
            for (int i = negative ? start + 1 : start; i < pos; i++) {
                value = value * 10 + (buf[i] - '0');
            }
            return negative ? -value : value;
        }
        return (long) Double.parseDouble(new String(buf, start, pos - start, StandardCharsets.US_ASCII));
    }

    private void skipNumber() throws MalformedChunkException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digits = digits();
        if (digits == 0) {
            throw malformed("bad number");
        }
        if (pos < end && buf[pos] == '.') {
            pos++;
            if (digits() == 0) {
                throw malformed("bad number");
            }
        }
        if (pos < end && (buf[pos] == 'e' || buf[pos] == 'E')) {
            pos++;
            if (pos < end && (buf[pos] == '+' || buf[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw malformed("bad number");
            }
        }
        if (pos == start) {
            throw malformed("bad number");
        }
    }

    private int digits() {
        int start = pos;
        while (pos < end && isDigit(buf[pos])) {
            pos++;
        }
        return pos - start;
    }

    private String stringValue() throws MalformedChunkException {
        StringBuilder saved = out;
        StringBuilder value = new StringBuilder();
        out = value;
        try {
            string(true);
        } finally {
            out = saved;
        }
        return value.toString();
    }

    /** Reads a string at {@code pos} (on its quote), appending its decoded content to {@code out} when {@code keep}. */
    private void string(boolean keep) throws MalformedChunkException {
        pos++;
        while (true) {
            if (pos >= end) {
                throw malformed("unterminated string");
            }
            byte b = buf[pos];
            if (b == '"') {
                pos++;
                return;
            }
            if (b == '\\') {
                escape(keep);
            } else if (b >= 0 && b < 0x20) {
                throw malformed("control character in a string");
            } else if (b >= 0) {
                if (keep) {
                    out.append((char) b);
                }
                pos++;
            } else {
                int start = pos;
                while (pos < end && buf[pos] < 0) {
                    pos++;
                }
                if (keep) {
                    out.append(new String(buf, start, pos - start, StandardCharsets.UTF_8));
                }
            }
        }
    }

    private void escape(boolean keep) throws MalformedChunkException {
        if (pos + 1 >= end) {
            throw malformed("unterminated escape");
        }
        byte e = buf[pos + 1];
        pos += 2;
        char c;
        switch (e) {
            case '"' -> c = '"';
            case '\\' -> c = '\\';
            case '/' -> c = '/';
            case 'b' -> c = '\b';
            case 'f' -> c = '\f';
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 't' -> c = '\t';
            case 'u' -> {
                if (pos + 4 > end) {
                    throw malformed("short \\u escape");
                }
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(buf[pos + i], 16);
                    if (digit < 0) {
                        throw malformed("bad \\u escape");
                    }
                    value = value * 16 + digit;
                }
                pos += 4;
                c = (char) value;
            }
            default -> throw malformed("bad escape \\" + (char) e);
        }
        if (keep) {
            out.append(c);
        }
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = buf[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    private byte peek() throws MalformedChunkException {
        if (pos >= end) {
            throw malformed("unexpected end of the chunk");
        }
        return buf[pos];
    }

    private byte next() throws MalformedChunkException {
        byte b = peek();
        pos++;
        return b;
    }

    private void expect(char c) throws MalformedChunkException {
        if (next() != c) {
            throw malformed("expected '" + c + "'");
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private MalformedChunkException malformed(String what) {
        return new MalformedChunkException(what + " at byte " + (pos - base));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
