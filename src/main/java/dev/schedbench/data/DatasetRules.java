package dev.schedbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.UserError;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a dataset entry must look like, and how a problem with one is worded: one set of rules, so
 * that {@link DatasetValidator} accepts exactly what {@link DatasetReader} reads and names the same
 * problems.
 */
final class DatasetRules {

    private DatasetRules() {}

    /** The layout a first entry shows, by the field that marks it. */
    static Optional<DatasetFormat> layoutOf(JsonNode first) {
        if (!first.isObject()) {
            return Optional.empty();
        }
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

    /** What is wrong with {@code entry}'s text field {@code field}, if anything. */
    static Optional<String> textProblem(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null) {
            return Optional.of("missing \"" + field + "\"");
        }
        if (!value.isTextual()) {
            return Optional.of("\"" + field + "\" must be text, got " + describe(value));
        }
        return Optional.empty();
    }

    /** What is wrong with {@code entry}'s count {@code field}, which it must have. */
    static Optional<String> requiredCountProblem(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return Optional.of("missing \"" + field + "\"");
        }
        return countProblem(entry, field);
    }

    /** What is wrong with {@code entry}'s count {@code field}; absent or null is fine. */
    static Optional<String> countProblem(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull() || isCount(value)) {
            return Optional.empty();
        }
        return Optional.of("\"" + field + "\" must be a whole number >= 0, got " + describe(value));
    }

    /** What is wrong with a ShareGPT entry's {@code conversations} value, if anything. */
    static Optional<String> conversationsProblem(JsonNode turns) {
        if (turns == null || !turns.isArray()) {
            return Optional.of("\"conversations\" must be an array of {\"from\", \"value\"}, got " + describe(turns));
        }
        return Optional.empty();
    }

    /** What is wrong with conversation turn number {@code position}, if anything. */
    static Optional<String> turnProblem(JsonNode turn, int position) {
        if (turn == null || !turn.isObject() || !turn.path("value").isTextual()) {
            return Optional.of("conversation turn " + position + " must be {\"from\", \"value\": text}, got " + describe(turn));
        }
        return Optional.empty();
    }

    /** A JSON number that is a whole number from 0 to {@link Integer#MAX_VALUE}, as written in any of Python's ways (3 or 3.0). */
    static boolean isCount(JsonNode value) {
        return (value.isInt() || value.isLong() && value.canConvertToInt()
                || value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())
                        && value.canConvertToInt())
                && value.intValue() >= 0;
    }

    static UserError notJson(Path file, JsonProcessingException e) {
        var at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new UserError("dataset file " + file + " is not valid JSON" + where + ": " + e.getOriginalMessage());
    }

    /** A value's kind and its start, for messages. */
    static String describe(JsonNode node) {
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
