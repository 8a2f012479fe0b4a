package dev.schedbench.cli;

import static dev.schedbench.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.cli.CliHarness.Outcome;
import dev.schedbench.testsupport.Golden;
import dev.schedbench.testsupport.ScriptedSseServer;
import dev.schedbench.testsupport.ScriptedSseServer.Script;
import dev.schedbench.testsupport.SeedData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchServeCommandTest {

    private static final String SEED_100 = SeedData.file("gpt2_data_seed_commit_100rows.json").toString();

    /** vLLM's result keys, in its order, for --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,99. */
    private static final List<String> VLLM_KEYS = List.of("date", "backend", "model_id", "tokenizer_id", "best_of", "num_prompts",
            "run", "request_rate", "burstiness", "max_concurrency", "duration", "completed", "total_input_tokens",
            "total_output_tokens", "request_throughput", "request_goodput:", "output_throughput", "total_token_throughput",
            "input_lens", "output_lens", "ttfts", "itls", "e2els", "generated_texts", "errors",
            "mean_ttft_ms", "median_ttft_ms", "std_ttft_ms", "p50_ttft_ms", "p99_ttft_ms",
            "mean_tpot_ms", "median_tpot_ms", "std_tpot_ms", "p50_tpot_ms", "p99_tpot_ms",
            "mean_itl_ms", "median_itl_ms", "std_itl_ms", "p50_itl_ms", "p99_itl_ms",
            "mean_e2el_ms", "median_e2el_ms", "std_e2el_ms", "p50_e2el_ms", "p99_e2el_ms");

    private static ScriptedSseServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = new ScriptedSseServer(body -> body.path("prompt").asText().contains("CUDA")
                ? Script.json(500, "{\"object\": \"error\", \"message\": \"no KV cache left\"}")
                : ScriptedSseServer.paced(4, 5, 2), Optional.empty());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** A run against the scripted server; {@code extra} adds flags (or replaces the dataset and rate given here). */
    private List<String> args(String... extra) {
        List<String> given = List.of(extra);
        List<String> args = new ArrayList<>(List.of("bench", "serve", "--base-url", server.baseUrl().toString(), "--model", "gpt2",
                "--num-prompts", "30", "--workspace", dir.toString()));
        if (!given.contains("--dataset-path")) {
            args.addAll(List.of("--dataset-path", SEED_100));
        }
        if (!given.contains("--request-rate")) {
            args.addAll(List.of("--request-rate", "200"));
        }
        args.addAll(given);
        return args;
    }

    @Test
    void runsEndToEndPrintsVllmsReportAndSavesVllmsResultFile() throws IOException {
        Outcome o = run(args("--save-result", "--result-dir", dir.toString(), "--metadata", "run=smoke",
                "--percentile-metrics", "ttft,tpot,itl,e2el", "--metric-percentiles", "50,99", "--goodput", "ttft:10000",
                "--schedule", "priority_round_robin").toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().startsWith("============ Serving Benchmark Result ============\n"), o.out());
        Golden.assertMatches("bench/serve-report.masked.txt", mask(o.out()));
        assertTrue(o.err().contains("Starting initial single prompt test run..."), o.err());
        assertTrue(o.err().contains("Traffic request rate: 200.0"), o.err());
        assertTrue(o.err().contains("| 30/30 ["), "progress bar: " + o.err());
        Path saved;
        try (Stream<Path> files = Files.list(dir)) {
            saved = files.filter(f -> f.getFileName().toString().matches("vllm-200\\.0qps-gpt2-\\d{8}-\\d{6}\\.json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no result file in " + dir));
        }
        assertTrue(o.err().contains("Result saved to " + saved), o.err());
        JsonNode doc = new ObjectMapper().readTree(saved.toFile());
        List<String> keys = new ArrayList<>();
        doc.fieldNames().forEachRemaining(keys::add);
        assertEquals(VLLM_KEYS, keys.subList(0, VLLM_KEYS.size()));
        assertEquals("smoke", doc.get("run").asText());
        assertEquals(30, doc.get("input_lens").size());
        assertTrue(doc.get("completed").asInt() > 0);
        assertTrue(server.completionRequests().stream().anyMatch(r -> r.body().has("priority")), "priority sent under priority_round_robin");
        Outcome runs = run("runs", "list", "--workspace", dir.toString());
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.out().contains("finished") && runs.out().contains("gpt2") && runs.out().contains("priority-round-robin"),
                "the run is in the workspace's database:\n" + runs.out());
    }

    @Test
    void noStoreLeavesTheWorkspaceAlone() {
        Outcome o = run(args("--no-store", "--disable-tqdm").toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.err());
        assertFalse(Files.exists(dir.resolve("schedbench.db")), "no database written");
    }

    /** The report with every number replaced, so that its layout can be compared with a golden file. */
    static String mask(String report) {
        return report.replaceAll("(?<![A-Za-z0-9.])[0-9]+(\\.[0-9]+)?(?![A-Za-z0-9])", "N").replaceAll(" +", " ").replaceAll(" \n", "\n");
    }

    @Test
    void resultFilenameAndDisabledProgress() {
        Outcome o = run(args("--save-result", "--result-dir", dir.toString(), "--result-filename", "mine.json", "--disable-tqdm",
                "--request-rate", "inf").toArray(String[]::new));
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(Files.exists(dir.resolve("mine.json")));
        assertFalse(o.err().contains("\r"), "no progress bar");
        assertTrue(o.err().contains("Traffic request rate: inf"), o.err());
    }

    @Test
    void noServerIsOneClearLineAndExitOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Outcome o = run("bench", "serve", "--port", Integer.toString(port), "--host", "127.0.0.1", "--model", "gpt2",
                "--dataset-path", SEED_100, "--disable-tqdm");
        assertEquals(1, o.exitCode());
        assertTrue(o.err().startsWith("error: cannot connect to the server at http://127.0.0.1:" + port), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
    }

    @Test
    void serverErrorsOnTheTestRequestAbortWithTheServersMessage() throws IOException {
        Path data = Files.writeString(dir.resolve("cuda.jsonl"), "{\"prompt\": \"what is CUDA and why\", \"output_tokens\": 9}\n");
        Outcome o = run(args("--dataset-path", data.toString(), "--disable-tqdm").toArray(String[]::new));
        assertEquals(1, o.exitCode());
        assertTrue(o.err().contains("error: the test request to " + server.baseUrl() + "/v1/completions failed: HTTP 500: no KV cache left"),
                o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    @Test
    void aMalformedDatasetIsReportedAsSuchEvenWithNoServerUp() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"input\": 3, \"output_len\": 2, \"output_tokens\": 1}]");
        Outcome o = run("bench", "serve", "--model", "gpt2", "--base-url", "http://127.0.0.1:1", "--dataset-path", bad.toString(),
                "--no-store");
        assertEquals(1, o.exitCode());
        assertEquals("error: dataset file " + bad + ": entry 0: \"input\" must be text, got a number 3", o.err().strip());
    }

    @Test
    void badInputsAreOneClearLine() throws IOException {
        Outcome missing = run(args("--dataset-path", dir.resolve("nope.json").toString()).toArray(String[]::new));
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("error: dataset file " + dir.resolve("nope.json") + " does not exist"), missing.err());

        Path tiny = Files.writeString(dir.resolve("tiny.json"), "[{\"input\": \"hi\", \"output_len\": 2, \"output_tokens\": 1}]");
        Outcome empty = run(args("--dataset-path", tiny.toString()).toArray(String[]::new));
        assertEquals(1, empty.exitCode());
        assertTrue(empty.err().contains("\nerror: no request left to send from dataset " + tiny), empty.err());

        Outcome goodput = run(args("--goodput", "latency:5").toArray(String[]::new));
        assertEquals(1, goodput.exitCode());
        assertTrue(goodput.err().startsWith("error: Invalid format found for service level objectives in --goodput: 'latency:5'")
                || goodput.err().startsWith("error: Invalid metric name found in --goodput"), goodput.err());

        Outcome metadata = run(args("--metadata", "novalue").toArray(String[]::new));
        assertEquals("error: Invalid metadata format 'novalue'. Please use KEY=VALUE format.", metadata.err().strip());

        Outcome url = run("bench", "serve", "--base-url", "localhost:8000", "--model", "m", "--dataset-path", SEED_100);
        assertEquals(1, url.exitCode());
        assertTrue(url.err().contains("must be an http:// or https:// URL"), url.err());
    }

    @Test
    void badUsageExitsTwo() {
        Outcome noModel = run("bench", "serve", "--dataset-path", SEED_100);
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("Missing required option: '--model=<model>'"), noModel.err());
        Outcome noData = run("bench", "serve", "--model", "gpt2");
        assertEquals(2, noData.exitCode());
        assertTrue(noData.err().contains("--dataset-path"), noData.err());
        Outcome policy = run("bench", "serve", "--model", "gpt2", "--dataset-path", SEED_100, "--schedule", "lifo");
        assertEquals(2, policy.exitCode());
        assertTrue(policy.err().contains("unknown scheduling policy 'lifo'"), policy.err());
        Outcome rate = run("bench", "serve", "--model", "gpt2", "--dataset-path", SEED_100, "--request-rate", "-3");
        assertEquals(2, rate.exitCode());
        Outcome priority = run("bench", "serve", "--model", "gpt2", "--dataset-path", SEED_100, "--priority", "random");
        assertEquals(2, priority.exitCode());
        assertTrue(priority.err().contains("unknown priority source 'random'"), priority.err());
    }

    @Test
    void helpListsTheSeedsFlags() {
        Outcome o = run("bench", "serve", "--help");
        assertEquals(0, o.exitCode());
        for (String flag : List.of("--backend", "--base-url", "--host", "--port", "--endpoint", "--model", "--tokenizer", "--schedule",
                "--dataset-path", "--num-prompts", "--request-rate", "--burstiness", "--max-concurrency", "--seed",
                "--percentile-metrics", "--metric-percentiles", "--goodput", "--save-result", "--result-dir", "--result-filename",
                "--metadata", "--ignore-eos", "--disable-tqdm", "--priority", "--workspace", "--no-store")) {
            assertTrue(o.out().contains(flag), flag + " in\n" + o.out());
        }
    }
}
