package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the bundled runner script under the real python3 with a stand-in {@code vllm} package on PYTHONPATH. */
class VllmOfflineOracleGeneratorTest {

    static final OracleSettings SETTINGS = new OracleSettings("facebook/opt-125m", 64, 0);

    @TempDir
    Path dir;

    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    VllmOfflineOracleGenerator generator(Map<String, String> env, int batchSize, Map<String, Object> engineArgs) {
        return new VllmOfflineOracleGenerator(new VllmOfflineOracleGenerator.Options("python3", batchSize, engineArgs, env), events::add);
    }

    static List<String> prompts(int n) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            prompts.add("Question " + i + ": ünïcode " + "?".repeat(i));
        }
        return prompts;
    }

    @Test
    void runsTheSeedsSamplingInBatchesAndStreamsResults() throws IOException {
        Path site = StandInVllm.writeTo(dir.resolve("site"));
        Path record = dir.resolve("record.json");
        VllmOfflineOracleGenerator generator = generator(
                Map.of("PYTHONPATH", site.toString(), "FAKE_VLLM_RECORD", record.toString()), 8, Map.of("max_model_len", 1024));
        List<String> prompts = prompts(20);
        Path out = dir.resolve("facebook_opt-125m_data.json");
        OracleDatasetBuilder.Report report = new OracleDatasetBuilder(generator, events::add).build(prompts, SETTINGS, out, PythonJson.Escaping.UTF8);

        assertTrue(report.complete(), report.toString());
        List<DatasetEntry> entries = DatasetReader.read(out).entries();
        for (int i = 0; i < prompts.size(); i++) {
            int n = prompts.get(i).length() % 64 + 1;
            assertEquals(prompts.get(i), entries.get(i).prompt());
            assertEquals(n, entries.get(i).outputTokens());
            assertEquals(2 * n - 1, entries.get(i).outputChars().getAsInt());
        }
        JsonNode seen = new ObjectMapper().readTree(record.toFile());
        assertEquals("facebook/opt-125m", seen.path("model").asText());
        assertEquals(1024, seen.path("engine_args").path("max_model_len").asInt());
        assertEquals("{\"n\":1,\"temperature\":0.0,\"top_p\":1.0,\"ignore_eos\":false,\"max_tokens\":64}", seen.path("sampling").toString());
        assertEquals("[8,8,4]", seen.path("batches").toString());
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Log l && l.line().contains("stand-in vllm imported")),
                "what vLLM prints reaches the log, not the protocol");
        assertTrue(events.stream().anyMatch(e -> e instanceof RunEvent.Log l && l.line().equals("vLLM 0.0-standin loaded the model")));
    }

    @Test
    void missingVllmIsOneClearMessage() {
        UserError e = assertThrows(UserError.class, () -> new OracleDatasetBuilder(generator(Map.of("PYTHONPATH", dir.toString()), 8, Map.of()), events::add)
                .build(prompts(3), SETTINGS, dir.resolve("d.json"), PythonJson.Escaping.UTF8));
        assertEquals("vLLM cannot be imported by Python 'python3' (ModuleNotFoundError: No module named 'vllm'). Install it into "
                + "that Python (python3 -m pip install vllm; the round-robin policies need the seed's vLLM fork) or pass --python "
                + "with the interpreter of the environment that has it.", e.getMessage());
    }

    @Test
    void aPythonErrorMidRunIsReportedAndWhatFinishedIsKept() throws IOException {
        Path site = StandInVllm.writeTo(dir.resolve("site"));
        List<String> prompts = new ArrayList<>(prompts(6));
        prompts.set(4, "BOOM");
        Path out = dir.resolve("d.json");
        UserError e = assertThrows(UserError.class, () -> new OracleDatasetBuilder(generator(Map.of("PYTHONPATH", site.toString()), 3, Map.of()), events::add)
                .build(prompts, SETTINGS, out, PythonJson.Escaping.UTF8));
        assertTrue(e.getMessage().startsWith("vLLM failed under python3: RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains("The 3 of 6 prompts done so far are kept in " + OraclePartialFile.pathFor(out)), e.getMessage());
        assertEquals(3, OraclePartialFile.read(OraclePartialFile.pathFor(out)).orElseThrow().lines().size());
    }

    @Test
    void aMissingInterpreterSaysWhichAndWhatToDo() {
        VllmOfflineOracleGenerator generator = new VllmOfflineOracleGenerator(
                new VllmOfflineOracleGenerator.Options(dir.resolve("no-python").toString(), 8, Map.of(), Map.of()), events::add);
        UserError e = assertThrows(UserError.class, () -> generator.generate(List.of(new PromptJob(0, "x")), SETTINGS, o -> { }));
        assertTrue(e.getMessage().startsWith("cannot run Python '" + dir.resolve("no-python") + "'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("pass --python with the interpreter of the environment where vLLM is installed."), e.getMessage());
    }
}
