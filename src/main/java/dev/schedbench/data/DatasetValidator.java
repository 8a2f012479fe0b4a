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
                    + "or {\"prompt\", \"output_tokens\"}, got " + DatasetRules.describe(entries.get(0))));
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
            throw DatasetRules.notJson(file, e);
        }
    }

    private static Optional<DatasetFormat> detect(ArrayNode entries) {
        return entries.isEmpty() ? Optional.empty() : DatasetRules.layoutOf(entries.get(0));
    }

    private static void check(DatasetFormat format, int index, JsonNode entry, List<Problem> problems) {
        if (!entry.isObject()) {
            problems.add(new Problem(index, "expected an object, got " + DatasetRules.describe(entry)));
            return;
        }
        switch (format) {
            case SEED -> {
                note(problems, index, DatasetRules.textProblem(entry, "input"));
                note(problems, index, DatasetRules.requiredCountProblem(entry, "output_tokens"));
                note(problems, index, DatasetRules.countProblem(entry, "output_len"));
            }
            case PROMPTS -> {
                note(problems, index, DatasetRules.textProblem(entry, "prompt"));
                note(problems, index, DatasetRules.requiredCountProblem(entry, "output_tokens"));
                note(problems, index, DatasetRules.countProblem(entry, "output_len"));
            }
            case SHAREGPT -> {
                JsonNode turns = entry.get("conversations");
                Optional<String> notTurns = DatasetRules.conversationsProblem(turns);
                if (notTurns.isPresent()) {
                    note(problems, index, notTurns);
                    return;
                }
                for (int t = 0; t < Math.min(2, turns.size()); t++) {
                    note(problems, index, DatasetRules.turnProblem(turns.get(t), t));
                }
            }
        }
    }

    private static void note(List<Problem> problems, int index, Optional<String> problem) {
        problem.ifPresent(message -> problems.add(new Problem(index, message)));
    }
}
