package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.data.DatasetReader;
import dev.schedbench.data.FakeCompletionsServer;
import dev.schedbench.data.StandInVllm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateDatasetCommandTest {

    @TempDir
    Path dir;

    Path queries(int n) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("\"query " + i + " " + "?".repeat(i % 7) + "\"");
        }
        Path file = dir.resolve("ws").resolve("data").resolve("chatbot_queries.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[\n    " + String.join(",\n    ", lines) + "\n]");
        return file;
    }

    @Test
    void remoteEngineWritesModelDataIntoTheWorkspaceWithProgressAndKeyNeverShown() throws Exception {
        queries(150);
        try (FakeCompletionsServer server = new FakeCompletionsServer(0)) {
            CliHarness.Outcome o = CliHarness.run(Map.of("OPENAI_API_KEY", "sk-secret-value"), dir, "create-dataset",
                    "--workspace", dir.resolve("ws").toString(), "--model", "meta-llama/Llama-3.2-1B",
                    "--engine", "remote", "--base-url", server.url().toString(), "--concurrency", "8");
            assertEquals(0, o.exitCode(), o.all());
            Path out = dir.resolve("ws/data/meta-llama_Llama-3.2-1B_data.json");
            assertTrue(o.out().contains("wrote 100 entries for meta-llama/Llama-3.2-1B to " + out), o.out());
            assertEquals(100, DatasetReader.read(out).size(), "the first 100 queries, as the seed");
            assertTrue(o.err().contains("create-dataset [##############################] 100/100 prompts"), o.err());
            assertFalse(o.all().contains("sk-secret-value"));
            assertEquals(Optional.of("Bearer sk-secret-value"), server.authorizations().getFirst());
            assertEquals(256, server.bodies().getFirst().path("max_tokens").asInt());
        }
    }

    @Test
    void simEngineRunsTheSimulatorInProcessAndItsLengthsDependOnlyOnThePrompt() throws Exception {
        queries(30);
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        CliHarness.Outcome first = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--engine", "sim", "--num-queries", "30", "--out", a.toString());
        assertEquals(0, first.exitCode(), first.all());
        CliHarness.Outcome second = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--num-queries", "30", "--concurrency", "3", "--sim-speed", "1000", "--out", b.toString());
        assertEquals(0, second.exitCode(), second.all());
        assertEquals(Files.readString(a), Files.readString(b));
        List<dev.schedbench.data.DatasetEntry> entries = DatasetReader.read(a).entries();
        assertEquals(30, entries.size());
        assertTrue(entries.stream().allMatch(e -> e.outputTokens() >= 1 && e.outputTokens() <= 256), entries.toString());
        assertTrue(entries.stream().map(dev.schedbench.data.DatasetEntry::outputTokens).distinct().count() > 3, "lengths vary by prompt");
    }

    @Test
    void failedPromptsAreListedByIndexAndTheRunFails() throws Exception {
        Path file = queries(5);
        Files.writeString(file, "[\"ok one\", \"too long [reject]\", \"ok two\"]");
        try (FakeCompletionsServer server = new FakeCompletionsServer(0)) {
            Path out = dir.resolve("o.json");
            CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                    "--model", "gpt2", "--engine", "remote", "--base-url", server.url().toString(), "--out", out.toString());
            assertEquals(1, o.exitCode(), o.all());
            assertTrue(o.err().contains("prompt 1 failed: HTTP 400: This model's maximum context length is 1024 tokens."), o.err());
            assertTrue(o.err().contains("error: 1 of 3 prompts failed (indices 1); the 2 done are kept in " + out + ".partial. "
                    + "Run the same command again to retry the failed ones."), o.err());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void vllmOfflineRunsTheBundledRunnerUnderTheGivenPython() throws Exception {
        queries(12);
        Path site = StandInVllm.writeTo(dir.resolve("site"));
        Path python = dir.resolve("python-with-vllm");
        Files.writeString(python, "#!/bin/sh\nPYTHONPATH='" + site + "' exec python3 \"$@\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--engine", "vllm-offline", "--python", python.toString(), "--num-queries", "10",
                "--output-len", "32", "--vllm-arg", "max_model_len=1024");
        assertEquals(0, o.exitCode(), o.all());
        assertEquals(10, DatasetReader.read(dir.resolve("ws/data/gpt2_data.json")).size());
        assertTrue(o.err().contains("[vllm] vLLM 0.0-standin loaded the model"), o.err());
    }

    @Test
    void vllmMissingIsOneErrorLine() throws Exception {
        queries(3);
        CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--engine", "vllm-offline", "--python", "python3");
        assertEquals(1, o.exitCode());
        assertTrue(o.err().contains("error: vLLM cannot be imported by Python 'python3' (ModuleNotFoundError: No module named 'vllm')"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    @Test
    void badInputsAreNamed() throws Exception {
        CliHarness.Outcome noQueries = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--engine", "remote", "--base-url", "http://127.0.0.1:9");
        assertEquals(1, noQueries.exitCode());
        assertTrue(noQueries.err().startsWith("error: queries file " + dir.resolve("ws/data/chatbot_queries.json") + " does not exist"), noQueries.err());

        Path file = queries(3);
        Files.writeString(file, "[\"fine\", 42]");
        CliHarness.Outcome wrongType = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--engine", "remote", "--base-url", "http://127.0.0.1:9");
        assertEquals("error: queries file " + file + ": entry 1 is number, expected a prompt string (or an object with an \"input\" string).",
                wrongType.err().strip());

        CliHarness.Outcome noUrl = CliHarness.run(Map.of(), dir, "create-dataset", "--workspace", dir.resolve("ws").toString(),
                "--model", "gpt2", "--engine", "remote", "--queries", file.toString());
        assertEquals(1, noUrl.exitCode());

        CliHarness.Outcome badEngine = CliHarness.run(Map.of(), dir, "create-dataset", "--model", "gpt2", "--engine", "gpu");
        assertEquals(2, badEngine.exitCode());
        assertTrue(badEngine.err().contains("unknown engine 'gpu'; expected sim, remote or vllm-offline"), badEngine.err());
    }
}
