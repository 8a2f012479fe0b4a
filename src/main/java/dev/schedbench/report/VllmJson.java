package dev.schedbench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.metrics.BenchmarkMetrics;
import dev.schedbench.metrics.MetricsConfig;
import dev.schedbench.metrics.ServingMetrics;
import dev.schedbench.metrics.VllmResult;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import dev.schedbench.store.RunResult;
import dev.schedbench.store.StoredRun;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;

/**
 * A stored run as the result file vLLM's benchmark writes. A run that finished has its document
 * rebuilt: the stored scalar part, with the per-request arrays ({@code input_lens}, {@code ttfts},
 * {@code itls} …) recreated from the request rows, every key where it was. A serving run that
 * never finished (interrupted, failed) has its document computed from the requests it recorded with
 * vLLM's metric code, so what it measured is not lost. Written as Python's {@code json.dump} writes it.
 */
public final class VllmJson {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private VllmJson() {}

    public static String toJson(StoredRun run, List<RequestRecord> requests) {
        return ResultFiles.toJson(document(run, requests));
    }

    public static SequencedMap<String, Object> document(StoredRun run, List<RequestRecord> requests) {
        List<RequestRecord> ordered = requests.stream().sorted(Comparator.comparingInt(RequestRecord::index)).toList();
        RunResult result = run.header().result();
        if (result.summaryJson().isPresent()) {
            return rebuild(result, ordered);
        }
        if (ordered.isEmpty()) {
            throw new UserError("run " + run.id() + " (" + run.header().status() + ") has no result document and no"
                    + " recorded requests, so there is nothing to write as a vLLM result; "
                    + "'--format json' exports what it has");
        }
        return recompute(run, ordered);
    }

    private static SequencedMap<String, Object> rebuild(RunResult result, List<RequestRecord> ordered) {
        SequencedMap<String, Object> summary = parse(result.summaryJson().orElseThrow());
        List<String> keys = result.keys().isEmpty() ? List.copyOf(summary.keySet()) : result.keys();
        SequencedMap<String, Object> doc = new LinkedHashMap<>();
        for (String key : keys) {
            if (summary.containsKey(key)) {
                doc.put(key, summary.get(key));
            } else if (RunResult.PER_REQUEST_KEYS.contains(key)) {
                doc.put(key, perRequest(key, ordered));
            }
        }
        // Keys stored without a recorded position (none in practice) go last rather than missing.
        summary.forEach(doc::putIfAbsent);
        return doc;
    }

    private static Object perRequest(String key, List<RequestRecord> rows) {
        return switch (key) {
            case "input_lens" -> rows.stream().map(RequestRecord::promptTokens).toList();
            case "output_lens" -> rows.stream().map(r -> r.success() ? r.outputTokens() : 0).toList();
            case "ttfts" -> rows.stream().map(r -> seconds(r.ttftNanos())).toList();
            case "itls" -> rows.stream().map(r -> Arrays.stream(r.itlNanos()).mapToObj(VllmJson::seconds).toList()).toList();
            case "e2els" -> rows.stream().map(r -> seconds(r.e2elNanos())).toList();
            case "generated_texts" -> rows.stream().map(RequestRecord::generatedText).toList();
            case "errors" -> rows.stream().map(RequestRecord::error).toList();
            default -> throw new IllegalArgumentException("not a per-request key: " + key);
        };
    }

    private static SequencedMap<String, Object> recompute(StoredRun run, List<RequestRecord> ordered) {
        JsonNode spec = ReportJson.parseOrText(run.header().specJson());
        ServeSpec serve = serveSpec(run, spec, ordered.size());
        MetricsConfig config = MetricsConfig.of(serve);
        long durationNanos = Math.max(1, ordered.stream()
                .mapToLong(r -> r.actualSendNanos() + Math.max(r.e2elNanos(), 0)).max().orElse(1));
        BenchmarkMetrics metrics = ServingMetrics.compute(ordered, durationNanos, config, serve.requestRateRps());
        String date = VLLM_DATE.format(run.header().startedAt().atZone(ZoneId.systemDefault()));
        return VllmResult.document(serve, date, metrics, ordered, config);
    }

    /** The serving spec a run recorded (as the serving benchmark writes it), defaults where it is silent. */
    private static ServeSpec serveSpec(StoredRun run, JsonNode spec, int recorded) {
        try {
            double rate = spec.path("request_rate").isNumber() ? spec.get("request_rate").asDouble() : Double.POSITIVE_INFINITY;
            List<String> metrics = new ArrayList<>();
            spec.path("percentile_metrics").forEach(m -> metrics.add(m.asText()));
            List<Double> percentiles = new ArrayList<>();
            spec.path("metric_percentiles").forEach(p -> percentiles.add(p.asDouble()));
            Map<String, Double> goodput = new LinkedHashMap<>();
            spec.path("goodput").properties().forEach(e -> goodput.put(e.getKey(), e.getValue().asDouble()));
            Map<String, String> metadata = new LinkedHashMap<>();
            spec.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
            JsonNode concurrency = spec.path("max_concurrency");
            return new ServeSpec(
                    spec.path("backend").asText("vllm"),
                    URI.create(spec.path("base_url").asText("http://localhost:8000")),
                    spec.path("endpoint").asText("/v1/completions"),
                    run.header().model(),
                    Optional.of(spec.path("tokenizer").asText(run.header().model())),
                    run.header().policy().orElse(Policy.FCFS),
                    Path.of(spec.path("dataset_path").asText("")),
                    Math.max(1, spec.path("num_prompts").asInt(Math.max(recorded, run.header().totalRequests()))),
                    rate,
                    spec.path("burstiness").asDouble(1.0),
                    concurrency.isNumber() ? OptionalInt.of(concurrency.asInt()) : OptionalInt.empty(),
                    spec.path("seed").asLong(0),
                    metrics.isEmpty() ? MetricsConfig.defaults().percentileMetrics() : metrics,
                    percentiles.isEmpty() ? MetricsConfig.defaults().percentiles() : percentiles,
                    goodput,
                    spec.path("ignore_eos").asBoolean(false),
                    metadata,
                    PrioritySource.parse(spec.path("priority").asText("none")));
        } catch (IllegalArgumentException e) {
            throw new UserError("run " + run.id() + " has no result document and its spec cannot be read back ("
                    + e.getMessage() + "); '--format json' exports what it recorded", e);
        }
    }

    static double seconds(long nanos) {
        return nanos / NANOS_PER_SECOND;
    }

    static SequencedMap<String, Object> parse(String json) {
        try {
            return ReportJson.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored result document is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
