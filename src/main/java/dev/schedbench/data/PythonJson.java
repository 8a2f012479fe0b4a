package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON byte for byte as Python's {@code json.dump(data, f, indent=4)} does, so files this
 * project writes diff cleanly against the seed's ({@code chatbot_queries.json}, {@code *_data.json}).
 * Accepts {@link String}, {@link Number}, {@link Boolean}, {@code null}, {@link List}, {@link Map}
 * (insertion order kept) and Jackson {@link JsonNode} trees.
 */
public final class PythonJson {

    /** How characters outside ASCII are written. */
    public enum Escaping {
        /** Written as they are, UTF-8 encoded ({@code ensure_ascii=False}). */
        UTF8,
        /** Written as {@code \}{@code uXXXX}, surrogate pairs for astral characters (Python's default {@code ensure_ascii=True}). */
        ASCII
    }

    private static final String INDENT = "    ";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Escaping escaping;

    private PythonJson(Escaping escaping) {
        this.escaping = escaping;
    }

    public static PythonJson with(Escaping escaping) {
        return new PythonJson(escaping);
    }

    /** The document as Python would write it (no trailing newline, as {@code json.dump}). */
    public String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        appendValue(out, value, 0);
        return out.toString();
    }

    public void write(Object value, Writer writer) throws IOException {
        StringBuilder out = new StringBuilder(4096);
        appendValue(out, value, 0);
        writer.write(out.toString());
    }

    /**
     * Writes {@code value} to {@code file} through a temporary file in the same folder and an atomic
     * move, so a reader never sees half a file and an interrupted write leaves the old one in place.
     */
    public void writeFile(Object value, Path file) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            // not Files.createTempFile: its owner-only permissions would stick to the result
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    write(value, w);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void appendValue(StringBuilder out, Object value, int level) {
        switch (value) {
            case null -> out.append("null");
            case String s -> appendString(out, s);
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d -> out.append(floatRepr(d));
            case Float f -> out.append(floatRepr(f.doubleValue()));
            case BigDecimal d -> out.append(floatRepr(d.doubleValue()));
            case Number n -> out.append(n.toString());
            case List<?> list -> appendList(out, list.iterator(), list.isEmpty(), level);
            case Map<?, ?> map -> appendMap(out, map, level);
            case JsonNode node -> appendNode(out, node, level);
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private void appendNode(StringBuilder out, JsonNode node, int level) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case STRING -> appendString(out, node.textValue());
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    out.append(node.bigIntegerValue());
                } else {
                    out.append(floatRepr(node.doubleValue()));
                }
            }
            case ARRAY -> appendList(out, node.elements(), node.isEmpty(), level);
            case OBJECT -> {
                if (node.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    out.append(first ? "\n" : ",\n");
                    first = false;
                    indent(out, level + 1);
                    appendString(out, e.getKey());
                    out.append(": ");
                    appendNode(out, e.getValue(), level + 1);
                }
                out.append('\n');
                indent(out, level);
                out.append('}');
            }
            case BINARY, POJO -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }

    private void appendList(StringBuilder out, Iterator<?> items, boolean empty, int level) {
        if (empty) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        while (items.hasNext()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, level + 1);
            appendValue(out, items.next(), level + 1);
        }
        out.append('\n');
        indent(out, level);
        out.append(']');
    }

    private void appendMap(StringBuilder out, Map<?, ?> map, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, level + 1);
            appendString(out, String.valueOf(e.getKey()));
            out.append(": ");
            appendValue(out, e.getValue(), level + 1);
        }
        out.append('\n');
        indent(out, level);
        out.append('}');
    }

    private static void indent(StringBuilder out, int level) {
        for (int i = 0; i < level; i++) {
            out.append(INDENT);
        }
    }

    /** Python's escaping: the C encoder's short escapes, {@code \}{@code u00XX} (lower-case hex) for the rest. */
    void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (escaping == Escaping.ASCII && c > 0x7e) || isLoneSurrogate(s, i)) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A surrogate without its partner cannot be UTF-8 encoded; escaping it keeps the text intact (Python
     * would refuse to write the file instead).
     */
    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip (as {@link Double#toString}
     * finds them), laid out fixed for decimal exponents in (-4, 16], else as {@code 1e-05}/{@code 1.5e+16}.
     */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        if (exact.precision() == 2) {
            // Double.toString writes at least two digits in scientific form (4.9E-324) where one suffices (5e-324)
            BigDecimal one = new BigDecimal(Math.abs(d)).round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
            if (one.doubleValue() == Math.abs(d)) {
                exact = one.stripTrailingZeros();
            }
        }
        String digits = exact.unscaledValue().toString();
        int decpt = digits.length() - exact.scale();
        StringBuilder out = new StringBuilder(24);
        if (d < 0) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            out.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}
