package dev.schedbench.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.model.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a benchmark dataset, recognising its layout from its content: the seed's
 * {@code {model}_data.json}, ShareGPT, or JSON lines of {@code {prompt, output_tokens}}. Arrays are
 * streamed, so a large ShareGPT file costs memory for its rows only. A bad row gives a
 * {@link UserError} naming the file and the row's (0-based) index.
 */
public final class DatasetReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DatasetReader() {}

    /** Reads a dataset; ShareGPT answers are counted with GPT-2's tokenizer. */
    public static Dataset read(Path file) {
        return read(file, LocalTokenCounter.gpt2());
    }

    /** Reads a dataset; {@code counter} counts ShareGPT answers, which carry no token count. */
    public static Dataset read(Path file, TokenCounter counter) {
        if (!Files.exists(file)) {
            throw new UserError("dataset file " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new UserError("dataset path " + file + " is a folder; give a dataset file");
        }
        try (InputStream raw = Files.newInputStream(file);
                PushbackInputStream in = new PushbackInputStream(raw, 4)) {
            int first = firstSignificantByte(in);
            if (first < 0) {
                throw new UserError("dataset file " + file + " is empty");
            }
            in.unread(first);
            return switch (first) {
                case '[' -> readArray(file, in, counter);
                case '{' -> readObjects(file, in);
                default -> throw new UserError("dataset file " + file
                        + " is not JSON: expected a JSON array or one JSON object per line");
            };
        } catch (IOException e) {
            throw new UserError("cannot read dataset file " + file + ": " + e.getMessage(), e);
        }
    }

    private static int firstSignificantByte(PushbackInputStream in) throws IOException {
        int b = in.read();
        if (b == 0xEF) { // UTF-8 byte order mark
            in.read();
            in.read();
            b = in.read();
        }
        while (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
            b = in.read();
        }
        return b;
    }

    private static Dataset readArray(Path file, InputStream in, TokenCounter counter) throws IOException {
        List<Row> rows = new ArrayList<>();
        DatasetFormat format = null;
        int skipped = 0;
        try (JsonParser parser = MAPPER.createParser(in)) {
            parser.nextToken();
            int index = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), index++) {
                if (token == null) {
                    throw new UserError("dataset file " + file + " ends inside its JSON array (entry " + index
                            + "); is the file complete?");
                }
                JsonNode node = MAPPER.readTree(parser);
                if (format == null) {
                    format = detect(file, node, index);
                }
                Where where = new Where(file, index, -1);
                switch (format) {
                    case SEED -> rows.add(seedRow(where, node));
                    case PROMPTS -> rows.add(promptRow(where, node));
                    case SHAREGPT -> {
                        Row row = shareGptRow(where, node);
                        if (row == null) {
                            skipped++;
                        } else {
                            rows.add(row);
                        }
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw DatasetRules.notJson(file, e);
        }
        if (format == null) {
            throw new UserError("dataset file " + file + " is an empty JSON array: it has no entries");
        }
        if (rows.isEmpty()) {
            throw new UserError("dataset file " + file + " has no usable entries (every ShareGPT conversation has fewer than two turns)");
        }
        return new Dataset(file, format, finish(rows, counter), skipped);
    }

    private static DatasetFormat detect(Path file, JsonNode first, int index) {
        if (first.isTextual()) {
            throw new UserError("dataset file " + file + " is a list of queries (strings), not a dataset with output"
                    + " lengths; build one from it with 'schedbench create-dataset --queries " + file + "'");
        }
        return DatasetRules.layoutOf(first).orElseThrow(() -> new UserError("dataset file " + file + ": entry " + index
                + " is " + DatasetRules.describe(first) + "; expected {\"input\", \"output_tokens\"} (seed), {\"conversations\": [...]} (ShareGPT)"
                + " or {\"prompt\", \"output_tokens\"}"));
    }

    private static Dataset readObjects(Path file, InputStream in) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        int index = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                if (index == 0) {
                    throw wholeObject(file, e);
                }
                throw new UserError("dataset file " + file + ": line " + lineNumber + " (entry " + index
                        + ") is not valid JSON: " + e.getOriginalMessage());
            }
            Where where = new Where(file, index, lineNumber);
            if (node.isObject() && node.has("input") && !node.has("prompt")) {
                rows.add(seedRow(where, node));
            } else if (index == 0 && node.isObject() && !node.has("prompt")) {
                throw new UserError("dataset file " + file + " is " + describeObject(node)
                        + "; expected JSON lines of {\"prompt\", \"output_tokens\"}");
            } else {
                rows.add(promptRow(where, node));
            }
            index++;
        }
        return new Dataset(file, DatasetFormat.PROMPTS, finish(rows, null), 0);
    }

    /** The first line is not a complete object: the file is one (pretty-printed) JSON object. */
    private static UserError wholeObject(Path file, JsonProcessingException lineError) {
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            return new UserError("dataset file " + file + " is " + describeObject(node)
                    + "; expected a JSON array of entries or one JSON object per line");
        } catch (JsonProcessingException e) {
            return DatasetRules.notJson(file, e);
        } catch (IOException e) {
            return new UserError("cannot read dataset file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describeObject(JsonNode node) {
        if (node.has("avg_latency")) {
            return "a latency result (benchmark_latency.py output), not a dataset";
        }
        if (node.has("elapsed_time") && node.has("tokens_per_second")) {
            return "a throughput result (benchmark_throughput.py output), not a dataset";
        }
        if (node.has("request_throughput") || node.has("ttfts")) {
            return "a serving benchmark result, not a dataset";
        }
        return "a single JSON object, not a dataset";
    }

    private record Where(Path file, int index, int line) {
        UserError error(String problem) {
            String at = line < 0 ? "entry " + index : "line " + line + " (entry " + index + ")";
            return new UserError("dataset file " + file + ": " + at + ": " + problem);
        }
    }

    /** A row before ShareGPT answers are counted: {@code outputTokens} is -1 until then. */
    private record Row(String prompt, int outputTokens, OptionalInt outputChars, Map<String, Integer> extra, String answer) {}

    private static Row seedRow(Where where, JsonNode node) {
        return countedRow(where, node, "input", "{\"input\", \"output_len\", \"output_tokens\"}");
    }

    private static Row promptRow(Where where, JsonNode node) {
        return countedRow(where, node, "prompt", "{\"prompt\", \"output_tokens\"}");
    }

    /** A row that carries its prompt in {@code promptField} and its answer's length in {@code output_tokens}. */
    private static Row countedRow(Where where, JsonNode node, String promptField, String expected) {
        ObjectNode object = object(where, node, expected);
        check(where, DatasetRules.textProblem(object, promptField));
        check(where, DatasetRules.requiredCountProblem(object, "output_tokens"));
        check(where, DatasetRules.countProblem(object, "output_len"));
        JsonNode chars = object.get("output_len");
        return new Row(object.get(promptField).textValue(), object.get("output_tokens").intValue(),
                chars == null || chars.isNull() ? OptionalInt.empty() : OptionalInt.of(chars.intValue()),
                extras(object, promptField, "output_len", "output_tokens"), null);
    }

    /** vLLM's ShareGPT sampling: the first turn is the prompt, the second the answer; shorter conversations are skipped. */
    private static Row shareGptRow(Where where, JsonNode node) {
        ObjectNode object = object(where, node, "{\"conversations\": [{\"from\", \"value\"}, ...]}");
        JsonNode turns = object.get("conversations");
        check(where, DatasetRules.conversationsProblem(turns));
        if (turns.size() < 2) {
            return null;
        }
        String prompt = turnText(where, turns.get(0), 0);
        String answer = turnText(where, turns.get(1), 1);
        return new Row(prompt, -1, OptionalInt.of(answer.codePointCount(0, answer.length())), Map.of(), answer);
    }

    private static String turnText(Where where, JsonNode turn, int position) {
        check(where, DatasetRules.turnProblem(turn, position));
        return turn.get("value").textValue();
    }

    private static void check(Where where, Optional<String> problem) {
        if (problem.isPresent()) {
            throw where.error(problem.get());
        }
    }

    private static ObjectNode object(Where where, JsonNode node, String expected) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw where.error("expected an object " + expected + ", got " + DatasetRules.describe(node));
    }

    private static Map<String, Integer> extras(ObjectNode object, String... known) {
        Map<String, Integer> extra = new LinkedHashMap<>();
        for (var field : object.properties()) {
            JsonNode value = field.getValue();
            if (!List.of(known).contains(field.getKey()) && value.isIntegralNumber() && value.canConvertToInt()) {
                extra.put(field.getKey(), value.intValue());
            }
        }
        return extra;
    }

    private static List<DatasetEntry> finish(List<Row> rows, TokenCounter counter) {
        // counting ShareGPT answers is the slow part of reading one; rows are independent
        return rows.parallelStream()
                .map(r -> new DatasetEntry(r.prompt(), r.answer() == null ? r.outputTokens() : counter.count(r.answer()),
                        r.outputChars(), r.extra()))
                .toList();
    }
}
