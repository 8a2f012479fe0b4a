package dev.schedbench.cli;

import static dev.schedbench.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.cli.CliHarness.Outcome;
import dev.schedbench.testsupport.SeedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Benchmarks land in the workspace's run database unless told not to, and come back out unchanged. */
class RunRecordingTest {

    private static final String DATA = SeedData.file("gpt2_data.json").toString();
    private static final Pattern RECORDED = Pattern.compile("Recorded as run (\\d+) in ");

    @TempDir
    Path dir;

    private Outcome simRun(String... extra) {
        String[] base = {"sim", "run", "--model", "gpt2", "--dataset-path", DATA, "--num-prompts", "120",
            "--request-rate", "30", "--scheduling-policy", "priority", "--workspace", dir.toString(), "--disable-tqdm"};
        String[] args = Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
        return run(args);
    }

    @Test
    void simRunIsRecordedAndItsVllmResultExportsWithTheSameFigures() throws IOException {
        Outcome o = simRun("--save-result", "--result-filename", "saved.json", "--result-dir", dir.toString());
        assertEquals(0, o.exitCode(), o.err());
        Matcher m = RECORDED.matcher(o.err());
        assertTrue(m.find(), o.err());
        String id = m.group(1);

        Outcome list = run("runs", "list", "--workspace", dir.toString());
        assertEquals(0, list.exitCode(), list.err());
        String row = list.out().lines().filter(l -> l.strip().startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("run " + id + " not listed:\n" + list.out()));
        assertTrue(row.contains("finished") && row.contains("sim") && row.contains("gpt2") && row.contains("priority"), row);

        Path exported = dir.resolve("exported.json");
        Outcome export = run("runs", "export", id, "--format", "vllm-json", "--out", exported.toString(),
                "--workspace", dir.toString());
        assertEquals(0, export.exitCode(), export.err());
        JsonNode saved = new ObjectMapper().readTree(dir.resolve("saved.json").toFile());
        JsonNode again = new ObjectMapper().readTree(exported.toFile());
        for (String key : new String[] {"backend", "model_id", "num_prompts", "request_rate", "completed",
            "total_input_tokens", "total_output_tokens", "input_lens", "output_lens", "errors"}) {
            assertEquals(saved.get(key), again.get(key), key);
        }
        for (String key : new String[] {"duration", "mean_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "mean_itl_ms"}) {
            assertEquals(saved.get(key).asDouble(), again.get(key).asDouble(), 1e-3 * Math.abs(saved.get(key).asDouble()), key);
        }
    }

    @Test
    void noStoreLeavesNoDatabaseBehind() {
        Outcome o = simRun("--no-store");
        assertEquals(0, o.exitCode(), o.err());
        assertFalse(o.err().contains("Recorded as run"), o.err());
        assertFalse(Files.exists(dir.resolve("schedbench.db")), "no database file is created under --no-store");
    }

    @Test
    void aDatabaseFromANewerVersionStopsTheRunBeforeAnyRequestAndStaysUntouched() throws IOException {
        assertEquals(0, simRun().exitCode());
        Path db = dir.resolve("schedbench.db");
        try (var raf = new java.io.RandomAccessFile(db.toFile(), "rw")) {
            raf.seek(60); // SQLite header: user_version, big-endian
            raf.writeInt(999);
        }
        byte[] before = Files.readAllBytes(db);
        Outcome o = simRun();
        assertEquals(1, o.exitCode());
        assertTrue(o.err().startsWith("error: ") && o.err().contains(db.toString()), o.err());
        assertTrue(o.out().isEmpty(), "no report for a run that never started: " + o.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "database left byte-identical");
    }
}
