package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.metrics.BenchmarkMetrics;
import dev.schedbench.metrics.GoldenCases;
import dev.schedbench.metrics.VllmResult;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Result files byte for byte against what Python's json.dump wrote for the same run (make_expected.py). */
class ResultFilesTest {

    private static final LocalDateTime WHEN = LocalDateTime.of(2024, 11, 24, 10, 20, 0);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "single", "failed"})
    void writesWhatVllmWouldHaveWrittenInAnyLocale(String name) throws IOException {
        String golden = GoldenCases.text("result_" + name + ".json");
        assertEquals(golden, writeUnder(Locale.ROOT, name));
        assertEquals(golden, writeUnder(Locale.GERMANY, name));
    }

    @Test
    void keysComeInVllmsOrderThenTheExtras() {
        GoldenCases.Case c = GoldenCases.load("mixed");
        BenchmarkMetrics m = c.metrics();
        SequencedMap<String, Object> doc = VllmResult.document(c.spec(), c.date(), m, c.records(), c.config());
        assertEquals(List.of("date", "backend", "model_id", "tokenizer_id", "best_of", "num_prompts", "operator", "gpu",
                "request_rate", "burstiness", "max_concurrency", "duration", "completed", "total_input_tokens",
                "total_output_tokens", "request_throughput", "request_goodput:", "output_throughput",
                "total_token_throughput", "input_lens", "output_lens", "ttfts", "itls", "e2els", "generated_texts",
                "errors", "mean_ttft_ms", "median_ttft_ms", "std_ttft_ms", "p50_ttft_ms", "p90_ttft_ms", "p99_ttft_ms",
                "p99.9_ttft_ms"), List.copyOf(doc.keySet()).subList(0, 33));
        assertEquals(List.of("schedbench_priority_classes", "schedbench_fairness", "schedbench_client"),
                List.copyOf(VllmResult.extras(m).keySet()));
    }

    @Test
    void infiniteRateIsTheStringInfAndMissingSloAndConcurrencyAreNull() {
        GoldenCases.Case c = GoldenCases.load("single");
        SequencedMap<String, Object> doc = VllmResult.document(c.spec(), c.date(), c.metrics(), c.records(), c.config());
        assertEquals("inf", doc.get("request_rate"));
        assertTrue(doc.containsKey("request_goodput:"));
        assertNull(doc.get("request_goodput:"));
        assertNull(doc.get("max_concurrency"));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        String golden = GoldenCases.text("result_mixed.json");
        Path file = dir.resolve("vllm.json");
        Files.writeString(file, golden);
        SequencedMap<String, Object> read = ResultFiles.read(file);
        assertEquals(golden, ResultFiles.toJson(read));
        assertEquals("inf", ResultFiles.read(write("single")).get("request_rate"));
        assertEquals(10.0, read.get("request_rate"));
        assertEquals(8, read.get("num_prompts"));
    }

    @Test
    void fileNameFollowsVllmsPattern() {
        ServeSpec base = GoldenCases.load("single").spec();
        assertEquals("vllm-infqps-gpt2-20241124-102000.json", ResultFiles.fileName(base, WHEN));
        assertEquals("vllm-10.0qps-gpt2-20241124-102000.json", ResultFiles.fileName(with(base, "gpt2", 10, 0), WHEN));
        assertEquals("vllm-2.5qps-concurrency16-Llama-3.2-1B-20241124-102000.json",
                ResultFiles.fileName(with(base, "meta-llama/Llama-3.2-1B", 2.5, 16), WHEN));
        assertEquals("vllm-0.1qps-m-20240102-030405.json",
                ResultFiles.fileName(with(base, "org/sub/m", 0.1, 0), LocalDateTime.of(2024, 1, 2, 3, 4, 5)));
    }

    @Test
    void unreadableFileIsAUserError() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"date\": ");
        UserError e = assertThrows(UserError.class, () -> ResultFiles.read(file));
        assertTrue(e.getMessage().startsWith("cannot read result file " + file + ": "), e.getMessage());
    }

    @Test
    void unwritablePlaceIsAUserError() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        UserError e = assertThrows(UserError.class,
                () -> ResultFiles.write(blocker.resolve("r.json"), new java.util.LinkedHashMap<>(), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot write result file " + blocker.resolve("r.json")), e.getMessage());
    }

    private String writeUnder(Locale locale, String name) throws IOException {
        Locale saved = Locale.getDefault();
        Locale.setDefault(locale);
        try {
            return Files.readString(write(name), StandardCharsets.UTF_8);
        } finally {
            Locale.setDefault(saved);
        }
    }

    private Path write(String name) {
        GoldenCases.Case c = GoldenCases.load(name);
        BenchmarkMetrics m = c.metrics();
        Path file = dir.resolve(name + "-" + Locale.getDefault().toLanguageTag() + ".json");
        ResultFiles.write(file, VllmResult.document(c.spec(), c.date(), m, c.records(), c.config()), VllmResult.extras(m));
        return file;
    }

    private static ServeSpec with(ServeSpec s, String model, double rate, int concurrency) {
        return new ServeSpec(s.backend(), s.baseUrl(), s.endpoint(), model, Optional.empty(), s.schedule(),
                s.datasetPath(), s.numPrompts(), rate, s.burstiness(),
                concurrency > 0 ? OptionalInt.of(concurrency) : OptionalInt.empty(), s.seed(), s.percentileMetrics(),
                s.metricPercentiles(), s.goodputSlosMs(), s.ignoreEos(), s.metadata(), s.priority());
    }
}
