package dev.schedbench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.Version;
import dev.schedbench.store.RunContent;
import dev.schedbench.store.RunHeader;
import dev.schedbench.store.RunRepository;
import dev.schedbench.store.RunResult;
import dev.schedbench.store.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Imports result files into the run database. Recognised by content, whatever the name:
 * <ul>
 *   <li>a schedbench run export ({@code "format": "schedbench-run"}), restored exactly;</li>
 *   <li>a vLLM serving result ({@code benchmark_serving.py --save-result}, the seed's
 *       {@code online_benchmarking.py}, its {@code _o} files), any version from 0.6 on: missing keys are
 *       tolerated, the fork's {@code e2els} used when present;</li>
 *   <li>the seed's offline latency ({@code _l}: {@code avg_latency}, {@code latencies}, {@code percentiles})
 *       and throughput ({@code _tp}: {@code elapsed_time}, {@code requests_per_second} …) results.</li>
 * </ul>
 * Policy and model come from the file when it says, else from its name and folders
 * ({@link PathHints}). Each file lands whole or not at all; problems are {@link ImportError}s naming it.
 */
public final class RunImporter {

    /** What an import produced. */
    public record Imported(Path file, long runId, String kind, String model, Optional<Policy> policy, int requests) {}

    private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final Version UNKNOWN_VERSIONS = new Version("unknown", "unknown", "unknown");
    private static final String UNKNOWN = "unknown";
    private static final double NANOS_PER_SECOND = 1e9;

    private RunImporter() {}

    public static Imported importFile(RunRepository runs, Path file) {
        RunContent content = read(file);
        long id = runs.importRun(content, file.getFileName().toString());
        RunHeader h = content.header();
        return new Imported(file, id, h.kind(), h.model(), h.policy(), content.requests().size());
    }

    /** Reads and checks a file completely, touching no database. */
    public static RunContent read(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImportError(name + ": no such file");
        } catch (IOException e) {
            throw new ImportError(name + ": cannot read it (" + e.getMessage() + ")", e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new ImportError(name + ": the file is empty; expected a result JSON file");
        }
        JsonNode root;
        try {
            root = ReportJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ImportError(name + ": not valid JSON" + where + " (" + e.getOriginalMessage() + ")", e);
        }
        if (!root.isObject()) {
            throw unknownFormat(name, "its top level is " + describe(root) + ", not a JSON object");
        }
        if (FullJson.FORMAT.equals(root.path("format").asText())) {
            return FullJson.read(root, name);
        }
        PathHints hints = PathHints.of(file);
        ObjectNode doc = (ObjectNode) root;
        if (doc.has("avg_latency") && doc.has("latencies")) {
            return offline(file, doc, "latency", hints, 0);
        }
        if (doc.has("elapsed_time") && doc.has("requests_per_second")) {
            return offline(file, doc, "throughput", hints, doc.path("num_requests").asInt(0));
        }
        if (doc.has("ttfts") || doc.has("input_lens") || doc.has("request_throughput")
                || (doc.has("completed") && doc.has("duration"))) {
            return serving(file, doc, hints);
        }
        throw unknownFormat(name, "it has none of the keys that mark one");
    }

    private static ImportError unknownFormat(String name, String why) {
        return new ImportError(name + ": not a result format schedbench knows (" + why + "); expected a vLLM serving"
                + " result (keys such as \"ttfts\", \"request_throughput\"), a latency result (\"avg_latency\"),"
                + " a throughput result (\"elapsed_time\") or a schedbench run export");
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case OBJECT, POJO, BINARY -> "a value";
        };
    }

    private static RunContent offline(Path file, ObjectNode doc, String kind, PathHints hints, int requests) {
        Instant started = modified(file);
        double seconds = kind.equals("latency") ? doc.path("avg_latency").asDouble(0) : doc.path("elapsed_time").asDouble(0);
        Instant finished = started.plusNanos((long) (Math.max(0, seconds) * NANOS_PER_SECOND));
        RunResult result = RunResult.of(doc, Optional.empty());
        RunHeader header = new RunHeader(kind, RunStatus.FINISHED, "vllm", hints.model().orElse(UNKNOWN), hints.policy(),
                spec(file, "vllm-" + kind, hints, Optional.empty(), Optional.empty()), Optional.empty(), requests,
                UNKNOWN_VERSIONS, UNKNOWN, started, Optional.of(finished), "", result);
        return new RunContent(header, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static RunContent serving(Path file, ObjectNode doc, PathHints hints) {
        String name = file.toString();
        List<RequestRecord> requests = requests(name, doc);
        Optional<String> docModel = text(doc, "model_id");
        Optional<Policy> docPolicy = policyIn(doc);
        Instant started = text(doc, "date").flatMap(RunImporter::vllmDate).orElseGet(() -> modified(file));
        double duration = doc.path("duration").asDouble(0);
        Instant finished = started.plusNanos((long) (Math.max(0, duration) * NANOS_PER_SECOND));

        ObjectNode vllm = doc.objectNode();
        ObjectNode extra = doc.objectNode();
        doc.properties().forEach(e -> (e.getKey().startsWith("schedbench_") ? extra : vllm).set(e.getKey(), e.getValue()));
        RunResult result = RunResult.of(vllm, Optional.of(extra));
        int total = Math.max(requests.size(), doc.path("num_prompts").asInt(0));
        RunHeader header = new RunHeader("serve", RunStatus.FINISHED, "vllm",
                docModel.or(hints::model).orElse(UNKNOWN), docPolicy.or(hints::policy),
                spec(file, "vllm-serving", hints, docModel, docPolicy), Optional.empty(), total, UNKNOWN_VERSIONS,
                UNKNOWN, started, Optional.of(finished), "", result);
        return new RunContent(header, requests, List.of(), List.of(), List.of(), List.of());
    }

    /** Rebuilds request rows from vLLM's parallel per-request arrays. */
    private static List<RequestRecord> requests(String name, ObjectNode doc) {
        int n = -1;
        String first = "";
        for (String key : RunResult.PER_REQUEST_KEYS) {
            JsonNode array = doc.get(key);
            if (array == null || array.isNull()) {
                continue;
            }
            if (!array.isArray()) {
                throw new ImportError(name + ": \"" + key + "\" should be a list with one entry per request");
            }
            if (n >= 0 && array.size() != n) {
                throw new ImportError(name + ": per-request lists differ in length (\"" + first + "\" has " + n
                        + " entries, \"" + key + "\" has " + array.size() + ")");
            }
            if (n < 0) {
                n = array.size();
                first = key;
            }
        }
        List<RequestRecord> rows = new ArrayList<>();
        for (int i = 0; i < Math.max(n, 0); i++) {
            int prompt = intAt(name, doc, "input_lens", i);
            int output = intAt(name, doc, "output_lens", i);
            long ttft = nanosAt(name, doc, "ttfts", i);
            long[] itl = itlAt(name, doc, i);
            String error = textAt(name, doc, "errors", i);
            String generated = textAt(name, doc, "generated_texts", i);
            long e2el;
            if (doc.has("e2els")) {
                e2el = nanosAt(name, doc, "e2els", i);
            } else if (error.isEmpty()) {
                // Before the fork's e2els, vLLM kept no per-request latency; first token plus every gap is
                // the time of the last token, which is how current vLLM defines it.
                long sum = ttft;
                for (long gap : itl) {
                    sum += gap;
                }
                e2el = sum;
            } else {
                e2el = 0;
            }
            rows.add(new RequestRecord(i, prompt, output, 0, OptionalLong.empty(), 0, 0, 0, ttft, e2el, itl, generated,
                    error));
        }
        return rows;
    }

    private static int intAt(String name, ObjectNode doc, String key, int i) {
        JsonNode value = doc.path(key).path(i);
        if (value.isMissingNode()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ImportError(name + ": " + key + "[" + i + "] should be a whole number, found " + value);
        }
        return value.asInt();
    }

    private static long nanosAt(String name, ObjectNode doc, String key, int i) {
        JsonNode value = doc.path(key).path(i);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new ImportError(name + ": " + key + "[" + i + "] should be a number of seconds, found " + value);
        }
        return nanos(value.asDouble());
    }

    private static long[] itlAt(String name, ObjectNode doc, int i) {
        JsonNode list = doc.path("itls").path(i);
        if (list.isMissingNode() || list.isNull()) {
            return new long[0];
        }
        if (!list.isArray()) {
            throw new ImportError(name + ": itls[" + i + "] should be a list of seconds, found " + list);
        }
        long[] gaps = new long[list.size()];
        for (int k = 0; k < gaps.length; k++) {
            JsonNode gap = list.get(k);
            if (!gap.isNumber()) {
                throw new ImportError(name + ": itls[" + i + "][" + k + "] should be a number of seconds, found " + gap);
            }
            gaps[k] = nanos(gap.asDouble());
        }
        return gaps;
    }

    private static String textAt(String name, ObjectNode doc, String key, int i) {
        JsonNode value = doc.path(key).path(i);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new ImportError(name + ": " + key + "[" + i + "] should be a string, found " + value);
        }
        return value.asText();
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * NANOS_PER_SECOND);
    }

    private static Optional<Policy> policyIn(ObjectNode doc) {
        for (String key : List.of("scheduling_policy", "schedule", "policy")) {
            Optional<String> value = text(doc, key);
            if (value.isPresent()) {
                try {
                    return Optional.of(Policy.parse(value.get()));
                } catch (IllegalArgumentException notAPolicy) {
                    // metadata under that name that is not one of ours: fall back to the file name
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(ObjectNode doc, String key) {
        JsonNode value = doc.get(key);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** vLLM's {@code date} is local time of the machine that ran it; this machine's zone is the best guess. */
    private static Optional<Instant> vllmDate(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text, VLLM_DATE).atZone(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** Where an imported run came from and which fields were inferred from its path. */
    private static String spec(Path file, String format, PathHints hints, Optional<String> docModel,
            Optional<Policy> docPolicy) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("source_format", format);
        spec.put("source_file", file.getFileName().toString());
        spec.put("model_from", docModel.isPresent() ? "file" : hints.model().isPresent() ? "folder" : "unknown");
        spec.put("policy_from", docPolicy.isPresent() ? "file" : hints.policy().isPresent() ? "file name" : "unknown");
        hints.outputLen().ifPresent(len -> spec.put("output_len_folder", len));
        hints.kind().ifPresent(k -> spec.put("kind_from_file_name", k));
        return ReportJson.compact(spec);
    }

    /** Imports several files, each on its own: a bad one is reported and the others still land. */
    public static List<Outcome> importAll(RunRepository runs, List<Path> files) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path file : files) {
            try {
                outcomes.add(new Outcome.Done(importFile(runs, file)));
            } catch (dev.schedbench.model.UserError e) {
                outcomes.add(new Outcome.Rejected(file, e.getMessage()));
            }
        }
        return outcomes;
    }

    /** One file's fate in {@link #importAll}. */
    public sealed interface Outcome {
        record Done(Imported run) implements Outcome {}

        record Rejected(Path file, String message) implements Outcome {}
    }

}
