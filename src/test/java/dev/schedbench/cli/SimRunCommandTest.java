package dev.schedbench.cli;

import static dev.schedbench.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.cli.CliHarness.Outcome;
import dev.schedbench.testsupport.Golden;
import dev.schedbench.testsupport.SeedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimRunCommandTest {

    private static final String GPT2_DATA = SeedData.file("gpt2_data.json").toString();

    @TempDir
    Path dir;

    /** A run on the seed's gpt2 dataset; {@code extra} adds flags or replaces the model, rate and count given here. */
    private List<String> args(String... extra) {
        List<String> given = List.of(extra);
        List<String> args = new ArrayList<>(List.of("sim", "run", "--dataset-path", GPT2_DATA, "--workspace", dir.toString(),
                "--disable-tqdm"));
        for (String[] fallback : new String[][] {{"--model", "gpt2"}, {"--num-prompts", "400"}, {"--request-rate", "40"}}) {
            if (!given.contains(fallback[0])) {
                args.addAll(List.of(fallback));
            }
        }
        args.addAll(given);
        return args;
    }

    /** Virtual time makes the whole report deterministic: it is compared number for number. */
    @Test
    void runsTheServingBenchmarkInVirtualTimeAndSavesVllmsResult() throws IOException {
        Outcome o = run(args("--scheduling-policy", "priority", "--save-result", "--result-dir", dir.toString(),
                "--percentile-metrics", "ttft,tpot,itl,e2el", "--metric-percentiles", "50,99").toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.err());
        Golden.assertMatches("sim/sim-run-report.txt", o.out());
        assertTrue(o.err().contains("Simulator: profile gpt2 (NVIDIA H100 80GB HBM3, vLLM 0.6.x, TP1, fp16), scheduler v0,"
                + " policy priority, 126591 KV blocks, max_num_seqs 256, max_num_batched_tokens 2048"), o.err());
        Path saved;
        try (Stream<Path> files = Files.list(dir)) {
            saved = files.filter(f -> f.getFileName().toString().matches("sim-40\\.0qps-gpt2-\\d{8}-\\d{6}\\.json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no result file in " + dir));
        }
        JsonNode doc = new ObjectMapper().readTree(saved.toFile());
        assertEquals("sim", doc.get("backend").asText());
        assertEquals(400, doc.get("input_lens").size());
        ObjectNode simulator = (ObjectNode) doc.get("schedbench_simulator");
        assertTrue(simulator.get("cpu_seconds").asDouble() > 0);
        simulator.remove("cpu_seconds");
        Golden.assertMatches("sim/sim-run-simulator-section.json",
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(simulator) + "\n");
    }

    @Test
    void sameFlagsSameReportAndPoliciesDifferUnderLoad() {
        List<String> loaded = args("--request-rate", "200", "--num-prompts", "600");
        Outcome fcfs = run(loaded.toArray(String[]::new));
        Outcome again = run(loaded.toArray(String[]::new));
        assertEquals(0, fcfs.exitCode(), fcfs.err());
        assertEquals(fcfs.out(), again.out());
        List<String> priority = new ArrayList<>(loaded);
        priority.addAll(List.of("--scheduling-policy", "priority"));
        Outcome sjf = run(priority.toArray(String[]::new));
        assertEquals(0, sjf.exitCode(), sjf.err());
        assertNotEquals(fcfs.out(), sjf.out());
    }

    @Test
    void serverFlagsReachTheSimulatedEngine() {
        Outcome o = run(args("--max-num-seqs", "8", "--max-num-batched-tokens", "4096", "--block-size", "32",
                "--gpu-memory-utilization", "0.5", "--swap-space", "1", "--enable-chunked-prefill=True",
                "--steps-before-preemption", "5", "--scheduling-policy", "round_robin", "--preemption-mode", "swap",
                "--max-concurrency", "4").toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.err().contains("policy round-robin, 34463 KV blocks, max_num_seqs 8, max_num_batched_tokens 4096,"
                + " chunked prefill"), o.err());
        assertTrue(o.err().contains("Maximum request concurrency: 4"), o.err());
    }

    @Test
    void otherProfilesAndV1() {
        Path data = SeedData.file("gpt2_data_seed_commit_100rows.json");
        Outcome llama = run("sim", "run", "--model", "meta-llama/Llama-3.2-1B", "--dataset-path", data.toString(),
                "--num-prompts", "50", "--disable-tqdm", "--scheduling-policy", "priority");
        assertEquals(0, llama.exitCode(), llama.err());
        assertTrue(llama.err().contains("chunked prefill"), "128K context turns chunked prefill on: " + llama.err());
        Outcome v1 = run("sim", "run", "--model", "my-model", "--profile", "meta-llama/Meta-Llama-3-8B", "--scheduler", "v1",
                "--dataset-path", data.toString(), "--num-prompts", "50", "--disable-tqdm");
        assertEquals(0, v1.exitCode(), v1.err());
        assertTrue(v1.err().contains("scheduler v1"), v1.err());
    }

    @Test
    void badInputsAreOneClearLine() {
        Outcome model = run(args("--model", "mistralai/Mistral-7B").toArray(String[]::new));
        assertEquals(1, model.exitCode());
        assertEquals("error: no simulator profile for model 'mistralai/Mistral-7B'; built-in profiles: gpt2, "
                + "facebook/opt-125m, meta-llama/Llama-3.2-1B, meta-llama/Meta-Llama-3-8B. Pass --profile with one of them "
                + "or with a profile JSON file (format in docs/simulator.md)", model.err().strip());
        Outcome length = run(args("--max-model-len", "4096").toArray(String[]::new));
        assertEquals(1, length.exitCode());
        assertTrue(length.err().startsWith("error: User-specified max_model_len (4096) is greater than the derived"),
                length.err());
        Outcome mode = run(args("--preemption-mode", "drop").toArray(String[]::new));
        assertEquals("error: --preemption-mode must be recompute or swap, got 'drop'", mode.err().strip());
        Outcome profile = run(args("--profile", dir.resolve("missing.json").toString()).toArray(String[]::new));
        assertEquals(1, profile.exitCode());
        assertTrue(profile.err().contains("does not exist"), profile.err());
        assertTrue(!profile.err().contains("\tat "), "no stack trace: " + profile.err());
    }

    @Test
    void badUsageExitsTwo() {
        Outcome noData = run("sim", "run", "--model", "gpt2");
        assertEquals(2, noData.exitCode());
        assertTrue(noData.err().contains("--dataset-path"), noData.err());
        Outcome policy = run("sim", "run", "--dataset-path", GPT2_DATA, "--scheduling-policy", "lifo");
        assertEquals(2, policy.exitCode());
        assertTrue(policy.err().contains("unknown scheduling policy 'lifo'"), policy.err());
    }

    @Test
    void helpListsBenchServesAndServesFlags() {
        Outcome o = run("sim", "run", "--help");
        assertEquals(0, o.exitCode());
        for (String flag : List.of("--model", "--tokenizer", "--dataset-path", "--num-prompts", "--request-rate",
                "--burstiness", "--max-concurrency", "--seed", "--percentile-metrics", "--metric-percentiles", "--goodput",
                "--save-result", "--result-dir", "--result-filename", "--metadata", "--ignore-eos", "--disable-tqdm",
                "--priority", "--workspace", "--no-store", "--scheduling-policy", "--max-num-seqs",
                "--max-num-batched-tokens", "--max-model-len", "--block-size", "--swap-space", "--gpu-memory-utilization",
                "--enable-chunked-prefill", "--steps-before-preemption", "--profile", "--preemption-mode", "--scheduler")) {
            assertTrue(o.out().contains(flag), flag + " in\n" + o.out());
        }
        assertTrue(run("sim", "--help").out().contains("run"));
    }
}
