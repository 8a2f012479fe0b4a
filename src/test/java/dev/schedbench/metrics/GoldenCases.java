package dev.schedbench.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.ServeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The synthetic request sets of {@code golden/metrics/cases.json} and what numpy made of them, as
 * written by {@code golden/metrics/make_expected.py}.
 */
public final class GoldenCases {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request set with the run settings it was measured under. */
    public record Case(String name, ServeSpec spec, MetricsConfig config, String date, long durationNanos,
            double requestedRateRps, List<RequestRecord> records) {

        public BenchmarkMetrics metrics() {
            return ServingMetrics.compute(records, durationNanos, config, requestedRateRps);
        }
    }

    private GoldenCases() {}

    public static Case load(String name) {
        for (JsonNode node : tree("cases.json")) {
            if (node.get("name").asText().equals(name)) {
                return toCase(node);
            }
        }
        throw new IllegalArgumentException("no golden case " + name);
    }

    public static JsonNode expected(String name) {
        return tree("expected.json").get(name);
    }

    public static JsonNode tree(String file) {
        try (InputStream in = stream(file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String file) {
        try (InputStream in = stream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String file) {
        InputStream in = GoldenCases.class.getResourceAsStream("/golden/metrics/" + file);
        if (in == null) {
            throw new IllegalStateException("missing golden file golden/metrics/" + file + "; run make_expected.py");
        }
        return in;
    }

    private static Case toCase(JsonNode node) {
        JsonNode s = node.get("spec");
        double rate = rate(s.get("request_rate"));
        List<String> metrics = new ArrayList<>();
        s.get("percentile_metrics").forEach(m -> metrics.add(m.asText()));
        List<Double> percentiles = new ArrayList<>();
        s.get("metric_percentiles").forEach(p -> percentiles.add(p.asDouble()));
        Map<String, Double> goodput = new LinkedHashMap<>();
        s.get("goodput").properties().forEach(e -> goodput.put(e.getKey(), e.getValue().asDouble()));
        Map<String, String> metadata = new LinkedHashMap<>();
        s.get("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        ServeSpec spec = new ServeSpec(
                "vllm",
                URI.create("http://localhost:8000"),
                "/v1/completions",
                s.get("model").asText(),
                s.get("tokenizer").isNull() ? Optional.empty() : Optional.of(s.get("tokenizer").asText()),
                Policy.PRIORITY,
                Path.of("gpt2_data.json"),
                s.get("num_prompts").asInt(),
                rate,
                s.get("burstiness").asDouble(),
                s.get("max_concurrency").isNull() ? OptionalInt.empty() : OptionalInt.of(s.get("max_concurrency").asInt()),
                0,
                metrics,
                percentiles,
                goodput,
                false,
                metadata,
                new PrioritySource.Oracle());
        List<RequestRecord> records = new ArrayList<>();
        for (JsonNode r : node.get("records")) {
            records.add(new RequestRecord(
                    r.get("index").asInt(),
                    r.get("prompt_tokens").asInt(),
                    r.get("output_tokens").asInt(),
                    r.get("max_tokens").asInt(),
                    r.get("priority").isNull() ? OptionalLong.empty() : OptionalLong.of(r.get("priority").asLong()),
                    r.get("priority_class").asInt(),
                    r.get("scheduled_send_ns").asLong(),
                    r.get("actual_send_ns").asLong(),
                    r.get("ttft_ns").asLong(),
                    r.get("e2el_ns").asLong(),
                    longs(r.get("itl_ns")),
                    r.get("generated_text").asText(),
                    r.get("error").asText()));
        }
        return new Case(node.get("name").asText(), spec, MetricsConfig.of(spec), node.get("date").asText(),
                node.get("duration_ns").asLong(), rate(node.get("requested_rate")), records);
    }

    private static double rate(JsonNode node) {
        return node.isTextual() ? Double.parseDouble(node.asText().replace("inf", "Infinity")) : node.asDouble();
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
