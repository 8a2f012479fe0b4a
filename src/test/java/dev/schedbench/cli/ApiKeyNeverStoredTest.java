package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.bench.ServeResult;
import dev.schedbench.bench.ServingBenchmark;
import dev.schedbench.report.ResultFiles;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.Workspace;
import dev.schedbench.store.RunRecorder;
import dev.schedbench.testsupport.ScriptedSseServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's API key goes on the wire as a bearer token and nowhere else: not in events, results, the database or exports. */
class ApiKeyNeverStoredTest {

    private static final String KEY = "sk-never-store-me-7f3a9c";

    @TempDir
    Path dir;

    @Test
    void theKeyReachesTheServerOnlyAndNeverTheRecordOfTheRun() throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            rows.append("{\"prompt\": \"tell me a story about number ").append(i).append("\", \"output_tokens\": 5}\n");
        }
        Path data = Files.writeString(dir.resolve("data.jsonl"), rows);
        Workspace workspace = new Workspace(dir.resolve("ws"));
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        ServeResult result;
        try (ScriptedSseServer server = new ScriptedSseServer(body -> ScriptedSseServer.paced(3, 5, 2), Optional.empty())) {
            ServeSpec spec = new ServeSpec("vllm", server.baseUrl(), "/v1/completions", "gpt2", Optional.empty(), Policy.PRIORITY,
                    data, 6, 100, 1.0, OptionalInt.empty(), 0, List.of("ttft", "tpot", "itl"), List.of(99.0), Map.of(), false,
                    Map.of(), new PrioritySource.Oracle());
            try (RunRecorder recorder = RunRecorder.open(workspace)) {
                result = new ServingBenchmark(spec, Optional.of(KEY)).run(RunListener.all(List.of(events::add, recorder)));
            }
            assertTrue(server.completionRequests().stream()
                    .allMatch(r -> ("Bearer " + KEY).equals(r.headers().get("authorization"))), "every request carries the key");
        }
        assertEquals(6, result.metrics().completed());
        synchronized (events) {
            assertTrue(events.stream().noneMatch(e -> e.toString().contains(KEY)), "no event mentions the key");
        }
        assertFalse(ResultFiles.toJson(result.document()).contains(KEY));
        assertFalse(ResultFiles.toJson(result.extras()).contains(KEY));

        for (String format : new String[] {"json", "vllm-json", "csv", "html"}) {
            Path out = dir.resolve("export." + format);
            CliHarness.Outcome export = CliHarness.run("runs", "export", "1", "--format", format, "--out", out.toString(),
                    "--workspace", workspace.root().toString());
            assertEquals(0, export.exitCode(), format + ": " + export.err());
            assertFalse(export.out().contains(KEY) || export.err().contains(KEY), format + " export printed the key");
            assertFalse(Files.readString(out, StandardCharsets.ISO_8859_1).contains(KEY), format + " export holds the key");
        }
        try (Stream<Path> files = Files.list(workspace.root())) {
            for (Path file : files.toList()) {
                assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(KEY),
                        file.getFileName() + " holds the key");
            }
        }
    }
}
