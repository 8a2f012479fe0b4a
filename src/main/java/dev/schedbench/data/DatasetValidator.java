package dev.schedbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks every entry of a dataset file and lists all problems with their entry index, where
 * {@link DatasetReader} stops at the first. Accepts the layouts the reader does: the seed's JSON
 * array, ShareGPT, and JSON Lines (or an array) of {@code {prompt, output_tokens}}.
 */
public final class DatasetValidator {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A problem with entry {@code index} (-1 for the file as a whole). */
    public record Problem(int index, String message) {
        @Override
        public String toString() {
            return index < 0 ? message : "entry " + index + ": " + message;
        }
    }

    /**
     * @param file     the file checked
     * @param format   the layout it looks like, when one could be told
     * @param entries  entries found
     * @param problems every problem, in file order
     */
    public record Report(Path file, Optional<DatasetFormat> format, int entries, List<Problem> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private DatasetValidator() {}

    public static Report validate(Path file) {
        ArrayNode entries;
        try {
            entries = readEntries(file);
        } catch (UserError e) {
            return new Report(file, Optional.empty(), 0, List.of(new Problem(-1, e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        Optional<DatasetFormat> format = detect(entries);
        if (entries.isEmpty()) {
            problems.add(new Problem(-1, "the file has no entries"));
        } else if (entries.get(0).isTextual()) {
            problems.add(new Problem(-1, "this is a list of queries (strings), not a dataset with output lengths; "
                    + "build one with 'schedbench create-dataset --queries " + file + "'"));
        } else if (format.isEmpty()) {
            problems.add(new Problem(0, "expected {\"input\", \"output_tokens\"} (seed), {\"conversations\": [...]} (ShareGPT) "
                    + "or {\"prompt\", \"output_tokens\"}, got " + describe(entries.get(0))));
        } else {
            for (int i = 0; i < entries.size(); i++) {
                check(format.get(), i, entries.get(i), problems);
            }
        }
        return new Report(file, format, entries.size(), problems);
    }

    /** Every entry of a JSON array or a JSON Lines file, as trees; a file that is neither is a {@link UserError}. */
    public static ArrayNode readEntries(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("dataset file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read dataset file " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw new UserError("dataset file " + file + " is empty");
        }
        try {
            if (trimmed.startsWith("[")) {
                JsonNode node = JSON.readTree(trimmed);
                return (ArrayNode) node;
            }
            ArrayNode lines = JSON.createArrayNode();
            int lineNo = 0;
            for (String line : trimmed.lines().toList()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.add(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    throw new UserError("dataset file " + file + ": line " + lineNo + " is not valid JSON: " + e.getOriginalMessage());
                }
            }
            return lines;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new UserError("dataset file " + file + " is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
    }

    private static Optional<DatasetFormat> detect(ArrayNode entries) {
        if (entries.isEmpty() || !entries.get(0).isObject()) {
            return Optional.empty();
        }
        JsonNode first = entries.get(0);
        if (first.has("conversations")) {
            return Optional.of(DatasetFormat.SHAREGPT);
        }
        if (first.has("input")) {
            return Optional.of(DatasetFormat.SEED);
        }
        if (first.has("prompt")) {
            return Optional.of(DatasetFormat.PROMPTS);
        }
        return Optional.empty();
    }

    private static void check(DatasetFormat format, int index, JsonNode entry, List<Problem> problems) {
        if (!entry.isObject()) {
            problems.add(new Problem(index, "expected an object, got " + describe(entry)));
            return;
        }
        switch (format) {
            case SEED -> {
                text(index, entry, "input", problems);
                count(index, entry, "output_tokens", true, problems);
                count(index, entry, "output_len", false, problems);
            }
            case PROMPTS -> {
                text(index, entry, "prompt", problems);
                count(index, entry, "output_tokens", true, problems);
                count(index, entry, "output_len", false, problems);
            }
            case SHAREGPT -> {
                JsonNode turns = entry.get("conversations");
                if (turns == null || !turns.isArray()) {
                    problems.add(new Problem(index, "\"conversations\" must be an array of {\"from\", \"value\"}, got " + describe(turns)));
                    return;
                }
                for (int t = 0; t < Math.min(2, turns.size()); t++) {
                    JsonNode turn = turns.get(t);
                    if (!turn.isObject() || !turn.path("value").isTextual()) {
                        problems.add(new Problem(index, "conversation turn " + t + " must be {\"from\", \"value\": text}, got " + describe(turn)));
                    }
                }
            }
        }
    }

    private static void text(int index, JsonNode entry, String field, List<Problem> problems) {
        JsonNode value = entry.get(field);
        if (value == null) {
            problems.add(new Problem(index, "missing \"" + field + "\""));
        } else if (!value.isTextual()) {
            problems.add(new Problem(index, "\"" + field + "\" must be text, got " + describe(value)));
        }
    }

    private static void count(int index, JsonNode entry, String field, boolean required, List<Problem> problems) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(new Problem(index, "missing \"" + field + "\""));
            }
            return;
        }
        boolean whole = value.isIntegralNumber() && value.canConvertToInt()
                || value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue()) && value.canConvertToInt();
        if (!whole || value.intValue() < 0) {
            problems.add(new Problem(index, "\"" + field + "\" must be a whole number >= 0, got " + describe(value)));
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String shown = node.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        String kind = switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY, MISSING -> "a value";
        };
        return kind + " " + shown;
    }
}
