package dev.schedbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.Version;
import dev.schedbench.store.Note;
import dev.schedbench.store.RunContent;
import dev.schedbench.store.RunHeader;
import dev.schedbench.store.RunResult;
import dev.schedbench.store.RunStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The complete, portable record of one run: what it was (spec, versions, host), how it ended
 * (status, result document), every request with every timing, and both time series. Importing it
 * into another database reproduces the run exactly, so exporting again gives the same bytes. The
 * database id and import provenance are left out: they describe a copy, not the run.
 *
 * <p>Layout: the run's description indented, then one request or sample per line, so that the file
 * stays readable and diffable at a hundred thousand requests. Times are integer nanoseconds.
 */
public final class FullJson {

    public static final String FORMAT = "schedbench-run";
    public static final int FORMAT_VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FullJson() {}

    public static String toJson(RunContent run) {
        StringWriter out = new StringWriter();
        try {
            write(run, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(RunContent run, Writer out) throws IOException {
        out.write("{\n  \"format\": \"" + FORMAT + "\",\n  \"format_version\": " + FORMAT_VERSION + ",\n  \"run\": ");
        out.write(ReportJson.pretty(describe(run)).replace("\n", "\n  "));
        out.write(",\n");
        writeLines(out, "requests", run.requests().stream().map(FullJson::request).toList(), false);
        writeLines(out, "samples", run.samples().stream().map(FullJson::sample).toList(), false);
        writeLines(out, "server_samples", run.serverSamples().stream().map(FullJson::serverSample).toList(), true);
        out.write("}\n");
    }

    private static void writeLines(Writer out, String name, List<ObjectNode> rows, boolean last) throws IOException {
        out.write("  \"" + name + "\": [");
        for (int i = 0; i < rows.size(); i++) {
            out.write(i == 0 ? "\n    " : ",\n    ");
            out.write(ReportJson.compact(rows.get(i)));
        }
        out.write(rows.isEmpty() ? "]" : "\n  ]");
        out.write(last ? "\n" : ",\n");
    }

    private static ObjectNode describe(RunContent run) {
        RunHeader h = run.header();
        ObjectNode node = NODES.objectNode();
        node.put("kind", h.kind());
        node.put("status", h.status().label());
        node.put("engine", h.engine());
        node.put("model", h.model());
        node.put("policy", h.policy().map(Policy::cliName).orElse(null));
        node.put("started_at", h.startedAt().toString());
        node.put("finished_at", h.finishedAt().map(Instant::toString).orElse(null));
        node.put("message", h.message());
        node.put("host", h.host());
        ObjectNode versions = node.putObject("versions");
        versions.put("schedbench", h.versions().schedbench());
        versions.put("java", h.versions().java());
        versions.put("javafx", h.versions().javafx());
        node.put("server_command", h.serverCommand().orElse(null));
        node.put("total_requests", h.totalRequests());
        node.set("spec", ReportJson.parseOrText(h.specJson()));
        ObjectNode result = node.putObject("result");
        result.set("summary", h.result().summaryJson().map(ReportJson::parseOrText).orElse(NODES.nullNode()));
        ArrayNode keys = result.putArray("keys");
        h.result().keys().forEach(keys::add);
        result.set("extra", h.result().extraJson().map(ReportJson::parseOrText).orElse(NODES.nullNode()));
        ArrayNode tags = node.putArray("tags");
        run.tags().forEach(tags::add);
        ArrayNode notes = node.putArray("notes");
        for (Note note : run.notes()) {
            notes.addObject().put("created_at", note.createdAt().toString()).put("text", note.text());
        }
        return node;
    }

    private static ObjectNode request(RequestRecord r) {
        ObjectNode node = NODES.objectNode();
        node.put("index", r.index());
        node.put("prompt_tokens", r.promptTokens());
        node.put("output_tokens", r.outputTokens());
        node.put("max_tokens", r.maxTokens());
        if (r.priority().isPresent()) {
            node.put("priority", r.priority().getAsLong());
        } else {
            node.putNull("priority");
        }
        node.put("priority_class", r.priorityClass());
        node.put("scheduled_send_ns", r.scheduledSendNanos());
        node.put("actual_send_ns", r.actualSendNanos());
        node.put("ttft_ns", r.ttftNanos());
        node.put("e2el_ns", r.e2elNanos());
        ArrayNode itl = node.putArray("itl_ns");
        for (long gap : r.itlNanos()) {
            itl.add(gap);
        }
        node.put("error", r.error());
        node.put("generated_text", r.generatedText());
        return node;
    }

    private static ObjectNode sample(RunEvent.Snapshot s) {
        ObjectNode node = NODES.objectNode();
        node.put("elapsed_ns", s.elapsedNanos());
        node.put("in_flight", s.inFlight());
        node.put("completed", s.completed());
        node.put("failed", s.failed());
        node.put("output_tokens_per_s", s.outputTokensPerSecond());
        node.put("requests_per_s", s.requestsPerSecond());
        return node;
    }

    private static ObjectNode serverSample(RunEvent.ServerState s) {
        ObjectNode node = NODES.objectNode();
        node.put("elapsed_ns", s.elapsedNanos());
        node.put("running", s.running());
        node.put("waiting", s.waiting());
        node.put("kv_cache_usage", s.kvCacheUsage());
        node.put("preemptions_total", s.preemptionsTotal());
        return node;
    }

    /** Reads an export back; every problem is reported against {@code source} (the file) and the field. */
    static RunContent read(JsonNode root, String source) {
        Fields f = new Fields(source);
        int version = f.integer(root, "format_version");
        if (version > FORMAT_VERSION) {
            throw f.error("format_version", "is " + version + ", newer than this schedbench reads (" + FORMAT_VERSION
                    + "); upgrade schedbench to import it");
        }
        JsonNode run = f.object(root, "run");
        JsonNode versions = f.object(run, "versions");
        JsonNode result = f.object(run, "result");
        RunStatus status = f.status(run);
        String message = f.text(run, "message");
        if (status == RunStatus.RUNNING) {
            // A run exported while it was being recorded has ended as far as this copy is concerned.
            status = RunStatus.INTERRUPTED;
            message = "exported while still running; later requests are not in this copy";
        }
        JsonNode spec = f.field(run, "spec");
        List<String> keys = new ArrayList<>();
        f.array(result, "keys").forEach(k -> keys.add(k.asText()));
        RunResult runResult = new RunResult(f.optionalJson(result, "summary"), keys, f.optionalJson(result, "extra"));
        RunHeader header = new RunHeader(f.text(run, "kind"), status, f.text(run, "engine"), f.text(run, "model"),
                f.optionalText(run, "policy").map(p -> f.policy(p)), spec.isTextual() ? spec.asText() : ReportJson.compact(spec),
                f.optionalText(run, "server_command"), f.integer(run, "total_requests"),
                new Version(f.text(versions, "schedbench"), f.text(versions, "java"), f.text(versions, "javafx")),
                f.text(run, "host"), f.instant(run, "started_at"), f.optionalText(run, "finished_at").map(t -> f.instant(t, "finished_at")),
                message, runResult);
        List<String> tags = new ArrayList<>();
        f.array(run, "tags").forEach(t -> tags.add(t.asText()));
        List<Note> notes = new ArrayList<>();
        for (JsonNode n : f.array(run, "notes")) {
            notes.add(new Note(f.instant(f.text(n, "created_at"), "notes.created_at"), f.text(n, "text")));
        }
        List<RequestRecord> requests = new ArrayList<>();
        for (JsonNode r : f.array(root, "requests")) {
            requests.add(readRequest(f, r));
        }
        List<RunEvent.Snapshot> samples = new ArrayList<>();
        for (JsonNode s : f.array(root, "samples")) {
            samples.add(new RunEvent.Snapshot(f.longValue(s, "elapsed_ns"), f.integer(s, "in_flight"), f.integer(s, "completed"),
                    f.integer(s, "failed"), f.number(s, "output_tokens_per_s"), f.number(s, "requests_per_s")));
        }
        List<RunEvent.ServerState> serverSamples = new ArrayList<>();
        for (JsonNode s : f.array(root, "server_samples")) {
            serverSamples.add(new RunEvent.ServerState(f.longValue(s, "elapsed_ns"), f.number(s, "running"),
                    f.number(s, "waiting"), f.number(s, "kv_cache_usage"), f.number(s, "preemptions_total")));
        }
        return new RunContent(header, requests, samples, serverSamples, tags, notes);
    }

    private static RequestRecord readRequest(Fields f, JsonNode r) {
        JsonNode itlNode = f.array(r, "itl_ns");
        long[] itl = new long[itlNode.size()];
        for (int i = 0; i < itl.length; i++) {
            if (!itlNode.get(i).canConvertToLong()) {
                throw f.error("requests[].itl_ns", "holds a value that is not an integer number of nanoseconds");
            }
            itl[i] = itlNode.get(i).asLong();
        }
        JsonNode priority = f.field(r, "priority");
        OptionalLong prio = priority.isNull() ? OptionalLong.empty() : OptionalLong.of(f.longValue(r, "priority"));
        return new RequestRecord(f.integer(r, "index"), f.integer(r, "prompt_tokens"), f.integer(r, "output_tokens"),
                f.integer(r, "max_tokens"), prio, f.integer(r, "priority_class"), f.longValue(r, "scheduled_send_ns"),
                f.longValue(r, "actual_send_ns"), f.longValue(r, "ttft_ns"), f.longValue(r, "e2el_ns"), itl,
                f.text(r, "generated_text"), f.text(r, "error"));
    }

    /** Typed access to an export's fields with one clear message per problem. */
    private record Fields(String source) {

        ImportError error(String field, String problem) {
            return new ImportError(source + ": field '" + field + "' " + problem);
        }

        JsonNode field(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null) {
                throw error(name, "is missing; the file is not a complete schedbench run export");
            }
            return value;
        }

        JsonNode object(JsonNode node, String name) {
            JsonNode value = field(node, name);
            if (!value.isObject()) {
                throw error(name, "should be an object");
            }
            return value;
        }

        JsonNode array(JsonNode node, String name) {
            JsonNode value = field(node, name);
            if (!value.isArray()) {
                throw error(name, "should be an array");
            }
            return value;
        }

        String text(JsonNode node, String name) {
            JsonNode value = field(node, name);
            if (!value.isTextual()) {
                throw error(name, "should be a string");
            }
            return value.asText();
        }

        Optional<String> optionalText(JsonNode node, String name) {
            JsonNode value = field(node, name);
            return value.isNull() ? Optional.empty() : Optional.of(text(node, name));
        }

        Optional<String> optionalJson(JsonNode node, String name) {
            JsonNode value = field(node, name);
            return value.isNull() ? Optional.empty() : Optional.of(ReportJson.compact(value));
        }

        int integer(JsonNode node, String name) {
            JsonNode value = field(node, name);
            if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                throw error(name, "should be an integer");
            }
            return value.asInt();
        }

        long longValue(JsonNode node, String name) {
            JsonNode value = field(node, name);
            if (!value.canConvertToLong() || !value.isIntegralNumber()) {
                throw error(name, "should be an integer");
            }
            return value.asLong();
        }

        double number(JsonNode node, String name) {
            JsonNode value = field(node, name);
            if (!value.isNumber()) {
                throw error(name, "should be a number");
            }
            return value.asDouble();
        }

        RunStatus status(JsonNode node) {
            try {
                return RunStatus.parse(text(node, "status"));
            } catch (IllegalArgumentException e) {
                throw error("status", e.getMessage());
            }
        }

        Policy policy(String text) {
            try {
                return Policy.parse(text);
            } catch (IllegalArgumentException e) {
                throw error("policy", e.getMessage());
            }
        }

        Instant instant(JsonNode node, String name) {
            return instant(text(node, name), name);
        }

        Instant instant(String text, String name) {
            try {
                return Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw error(name, "is not an ISO-8601 instant: " + text);
            }
        }
    }
}
