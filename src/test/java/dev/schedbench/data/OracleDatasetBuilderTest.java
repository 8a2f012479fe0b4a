package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.RunEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OracleDatasetBuilderTest {

    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(1));
    static final OracleSettings GPT2 = new OracleSettings("gpt2", 256, 0);

    @TempDir
    Path dir;

    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    CompletionsOracleGenerator remote(FakeCompletionsServer server, int concurrency) {
        return new CompletionsOracleGenerator(CompletionsOracleGenerator.newHttpClient(), server.url(), Optional.empty(),
                concurrency, FAST, waits::add);
    }

    static String golden(String name) throws IOException {
        try (InputStream in = OracleDatasetBuilderTest.class.getResourceAsStream("/golden/data/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> prompts(int n) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            prompts.add("prompt number " + i + " " + "x".repeat(i));
        }
        return prompts;
    }

    /** Golden files were written by Python's json.dump(entries, f, indent=4), with and without ensure_ascii. */
    @Test
    void writesTheSeedsFormatWithCharacterAndTokenLengths() throws IOException {
        try (FakeCompletionsServer server = new FakeCompletionsServer(0)) {
            List<String> prompts = List.of("Hi", "naïve?", "日本");
            Path ascii = dir.resolve("gpt2_data.json");
            Path utf8 = dir.resolve("utf8.json");
            OracleDatasetBuilder.Report report = new OracleDatasetBuilder(remote(server, 4), events::add)
                    .build(prompts, GPT2, ascii, PythonJson.Escaping.ASCII);
            new OracleDatasetBuilder(remote(server, 4), events::add).build(prompts, GPT2, utf8, PythonJson.Escaping.UTF8);
            assertTrue(report.complete());
            assertEquals(3, report.entries());
            assertEquals(golden("oracle-dataset-ascii.json"), Files.readString(ascii));
            assertEquals(golden("oracle-dataset-utf8.json"), Files.readString(utf8));
            assertFalse(Files.exists(OraclePartialFile.pathFor(ascii)));
            JsonNode body = server.bodies().getFirst();
            assertEquals("gpt2", body.path("model").asText());
            assertEquals(256, body.path("max_tokens").asInt());
            assertEquals(0.0, body.path("temperature").asDouble());
            assertFalse(body.path("stream").asBoolean());
        }
    }

    @Test
    void keepsAtMostConcurrencyRequestsInFlightAndReadsThemAsTheyCome() throws IOException {
        try (FakeCompletionsServer server = new FakeCompletionsServer(15)) {
            List<String> prompts = prompts(48);
            Path out = dir.resolve("d.json");
            OracleDatasetBuilder.Report report = new OracleDatasetBuilder(remote(server, 6), events::add)
                    .build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
            assertTrue(report.complete());
            assertTrue(server.maxInFlight() <= 6, "in flight: " + server.maxInFlight());
            assertTrue(server.maxInFlight() > 1, "requests overlap: " + server.maxInFlight());
            Dataset dataset = DatasetReader.read(out);
            assertEquals(48, dataset.size());
            for (int i = 0; i < 48; i++) {
                DatasetEntry e = dataset.entries().get(i);
                int n = FakeCompletionsServer.tokensFor(prompts.get(i), 256);
                assertEquals(prompts.get(i), e.prompt());
                assertEquals(n, e.outputTokens());
                assertEquals(3 * n - 1, e.outputChars().getAsInt(), "output_len counts code points, as Python's len");
            }
            RunEvent.Progress last = (RunEvent.Progress) events.stream().filter(e -> e instanceof RunEvent.Progress)
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(48, last.done());
            assertEquals(48, last.total());
        }
    }

    @Test
    void transientFailuresAreRetriedAndLastingOnesReportedByIndexKeepingTheRest() throws IOException {
        try (FakeCompletionsServer server = new FakeCompletionsServer(0)) {
            List<String> prompts = new ArrayList<>(prompts(6));
            prompts.set(2, "busy server [fail:2]");
            prompts.set(4, "far too long [reject]");
            Path out = dir.resolve("d.json");
            OracleDatasetBuilder.Report report = new OracleDatasetBuilder(remote(server, 3), events::add)
                    .build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
            assertFalse(report.complete());
            assertEquals(5, report.entries());
            assertEquals(List.of(new OracleOutcome.Failed(4, "HTTP 400: This model's maximum context length is 1024 tokens.")),
                    report.failed());
            assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(10)), waits);
            assertFalse(Files.exists(out), "no dataset is written while prompts are missing");
            assertEquals(5, OraclePartialFile.read(report.partial()).orElseThrow().lines().size());
        }
    }

    /** An engine of the test's own making, to see which prompts a re-run asks for. */
    static final class ScriptedGenerator implements OracleGenerator {
        final Set<Integer> failing;
        final List<Integer> asked = new CopyOnWriteArrayList<>();

        ScriptedGenerator(Set<Integer> failing) {
            this.failing = failing;
        }

        @Override
        public void generate(List<PromptJob> jobs, OracleSettings settings, Consumer<OracleOutcome> sink) {
            for (PromptJob job : jobs) {
                asked.add(job.index());
                sink.accept(failing.contains(job.index())
                        ? new OracleOutcome.Failed(job.index(), "scripted failure")
                        : new OracleOutcome.Generated(job.index(), job.prompt().length() * 2, job.prompt().length()));
            }
        }

        @Override
        public String describe() {
            return "scripted";
        }
    }

    @Test
    void aReRunAsksOnlyForThePromptsStillMissing() throws IOException {
        List<String> prompts = prompts(10);
        Path out = dir.resolve("gpt2_data.json");
        ScriptedGenerator first = new ScriptedGenerator(Set.of(3, 7));
        OracleDatasetBuilder.Report partial = new OracleDatasetBuilder(first, events::add).build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
        assertEquals(List.of(3, 7), partial.failed().stream().map(OracleOutcome.Failed::index).toList());

        ScriptedGenerator second = new ScriptedGenerator(Set.of());
        OracleDatasetBuilder.Report report = new OracleDatasetBuilder(second, events::add).build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
        assertEquals(List.of(3, 7), second.asked);
        assertTrue(report.complete());
        assertEquals(8, report.resumed());
        assertEquals(prompts, DatasetReader.read(out).entries().stream().map(DatasetEntry::prompt).toList());
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Log l && l.line().startsWith("resuming: 8 of 10")));
    }

    @Test
    void aHalfWrittenLineIsDroppedAndOtherSettingsStartOver() throws IOException {
        List<String> prompts = prompts(4);
        Path out = dir.resolve("gpt2_data.json");
        new OracleDatasetBuilder(new ScriptedGenerator(Set.of(0, 1, 2, 3)), events::add).build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
        Path partialPath = OraclePartialFile.pathFor(out);
        Files.writeString(partialPath, "{\"index\":0,\"input\":\"prompt number 0 \",\"output_len\":32,\"output_tokens\":16}\n{\"index\":1,\"inp",
                java.nio.file.StandardOpenOption.APPEND);
        ScriptedGenerator resumed = new ScriptedGenerator(Set.of());
        new OracleDatasetBuilder(resumed, events::add).build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
        assertEquals(List.of(1, 2, 3), resumed.asked);
        assertEquals(16, DatasetReader.read(out).entries().getFirst().outputTokens());

        new OracleDatasetBuilder(new ScriptedGenerator(Set.of(1)), events::add).build(prompts, GPT2, out, PythonJson.Escaping.UTF8);
        ScriptedGenerator hotter = new ScriptedGenerator(Set.of());
        new OracleDatasetBuilder(hotter, events::add).build(prompts, new OracleSettings("gpt2", 256, 1.0), out, PythonJson.Escaping.UTF8);
        assertEquals(List.of(0, 1, 2, 3), hotter.asked);
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Log l && l.line().contains("temperature 0.0, this run asks for")));
    }

    @Test
    void apiKeyTravelsAsBearerAndBaseUrlMayEndInV1() throws IOException {
        try (FakeCompletionsServer server = new FakeCompletionsServer(0)) {
            CompletionsOracleGenerator generator = new CompletionsOracleGenerator(CompletionsOracleGenerator.newHttpClient(),
                    URI.create(server.url() + "/v1/"), Optional.of("sk-test-123"), 2, FAST, waits::add);
            new OracleDatasetBuilder(generator, events::add).build(List.of("a", "b"), GPT2, dir.resolve("d.json"), PythonJson.Escaping.UTF8);
            assertEquals(List.of(Optional.of("Bearer sk-test-123"), Optional.of("Bearer sk-test-123")), server.authorizations());
            assertEquals(server.url() + "/v1/completions", generator.describe());
        }
    }

    @Test
    void anUnreachableServerFailsEveryPromptWithTheReason() {
        CompletionsOracleGenerator generator = new CompletionsOracleGenerator(CompletionsOracleGenerator.newHttpClient(),
                URI.create("http://127.0.0.1:9"), Optional.empty(), 2, FAST.withMaxAttempts(2), waits::add);
        OracleDatasetBuilder.Report report = new OracleDatasetBuilder(generator, events::add)
                .build(List.of("a", "b"), GPT2, dir.resolve("d.json"), PythonJson.Escaping.UTF8);
        assertEquals(2, report.failed().size());
        assertTrue(report.failed().getFirst().error().startsWith("connection failed (ConnectException"), report.failed().getFirst().error());
        assertTrue(report.failed().getFirst().error().endsWith("(after 2 attempts)"), report.failed().getFirst().error());
    }
}
