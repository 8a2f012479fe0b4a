package dev.schedbench.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SequencedMap;

/**
 * One parsed Prometheus text exposition (format 0.0.4, what vLLM's {@code /metrics} serves): every
 * sample with its labels, and the declared type of every family.
 */
public record PrometheusScrape(List<Sample> samples, Map<String, String> types) {

    public PrometheusScrape {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
    }

    /** One line of the exposition: {@code name{labels} value}. */
    public record Sample(String name, SequencedMap<String, String> labels, double value) {

        public Sample {
            labels = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(labels));
        }

        boolean matches(Map<String, String> wanted) {
            for (var label : wanted.entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Parses exposition text. A line that is not a comment, a blank or a well-formed sample is an
     * {@link IllegalArgumentException} naming the line.
     */
    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("\\s+", 4);
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    types.put(parts[2], parts[3]);
                }
                continue;
            }
            try {
                samples.add(new LineParser(line).sample());
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a Prometheus sample ("
                        + e.getMessage() + "): " + line, e);
            }
        }
        return new PrometheusScrape(samples, types);
    }

    /** Every series of a metric whose labels include {@code labels}. */
    public List<Sample> series(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.matches(labels)).toList();
    }

    /** The sum over the matching series (one value when one series matches); empty when none does. */
    public OptionalDouble sum(String name, Map<String, String> labels) {
        List<Sample> matching = series(name, labels);
        if (matching.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(matching.stream().mapToDouble(Sample::value).sum());
    }

    public OptionalDouble sum(String name) {
        return sum(name, Map.of());
    }

    /** Reads one sample line; tolerates a trailing timestamp and a trailing comma in the labels. */
    private static final class LineParser {

        private final String line;
        private int at;

        LineParser(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = name();
            SequencedMap<String, String> labels = new LinkedHashMap<>();
            if (at < line.length() && line.charAt(at) == '{') {
                at++;
                skipSpaces();
                while (line.charAt(at) != '}') {
                    String label = name();
                    skipSpaces();
                    expect('=');
                    skipSpaces();
                    labels.put(label, quoted());
                    skipSpaces();
                    if (line.charAt(at) == ',') {
                        at++;
                        skipSpaces();
                    } else if (line.charAt(at) != '}') {
                        throw new IllegalArgumentException("expected ',' or '}' at column " + (at + 1));
                    }
                }
                at++;
            }
            String[] rest = line.substring(at).strip().split("\\s+");
            if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
                throw new IllegalArgumentException("expected a value");
            }
            return new Sample(name, labels, number(rest[0]));
        }

        private String name() {
            int start = at;
            while (at < line.length()) {
                char c = line.charAt(at);
                boolean ok = Character.isLetter(c) || c == '_' || c == ':' || (at > start && Character.isDigit(c));
                if (!ok) {
                    break;
                }
                at++;
            }
            if (at == start) {
                throw new IllegalArgumentException("expected a name at column " + (start + 1));
            }
            return line.substring(start, at);
        }

        private String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    char escaped = line.charAt(at++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
        }

        private void expect(char c) {
            if (line.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (at + 1));
            }
            at++;
        }

        private void skipSpaces() {
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
        }

        private static double number(String text) {
            return switch (text) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> {
                    try {
                        yield Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad number '" + text + "'");
                    }
                }
            };
        }
    }
}
