package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.schedbench.bench.ServeResult;
import dev.schedbench.bench.ServingBenchmark;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.sim.Arrival;
import dev.schedbench.sim.RequestTiming;
import dev.schedbench.sim.SimEngines;
import dev.schedbench.sim.SimRequest;
import dev.schedbench.sim.VirtualResult;
import dev.schedbench.testsupport.SeedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live server and the virtual-time engine are the same simulator: {@code bench serve}'s client
 * against {@code serve --engine sim} at real speed measures the latencies the virtual-time engine
 * computes for the same requests arriving at the same moments.
 *
 * <p>The live side also pays for what virtual time has no notion of: the request's way in (a
 * connection, Jetty's parsing, JSON, tokenising, a few thread wake-ups), 1 to 2.5 ms on this two-core
 * virtual machine depending on the hour. The shipped Llama 3 8B profile at moderate load has a mean
 * TTFT near 28 ms, so that is 4 to 8 % of it: inside the 10 % the comparison allows, but too close to
 * the line to gate every build on, so that case is a benchmark (run it with
 * {@code -Dtest.excludedGroups=}). The default suite checks the same agreement on a slow model whose
 * latencies dwarf the overhead.
 */
class LiveVirtualAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLOW_MODEL = "slow-sim-model";
    private static final String SLOW_PROFILE = """
            {
              "name": "slow-sim-model",
              "aliases": [],
              "description": "a slow model: its steps dwarf HTTP overheads and thread wake-ups",
              "hardware": "test",
              "scheduler": "v0",
              "max_model_len": 8192,
              "memory": {"gpu_memory_gib": 79.19, "weights_gib": 14.96, "activation_gib": 1.5,
                         "kv_bytes_per_token": 131072, "num_gpu_blocks": null},
              "iteration": {"c0_ms": 4.0, "c1_us": 100.0, "f_ms": 50.0, "kappa_us": 160.0, "gamma_us": 0.4,
                            "delta_us": 0.0009, "swap_gb_per_s": 25.0, "jitter": 0.0},
              "output_length": {"median": 100.0, "sigma": 1.0, "min": 1, "max": 4096}
            }
            """;

    /**
     * A slow model (about 170 ms to prefill 1000 tokens, 60 ms per decode step) at moderate load:
     * about 40 % of the time goes to prefills. Its profile has no live jitter: 4 % of a 170 ms step
     * would move the mean TTFT of 30 requests by several per cent by chance alone.
     */
    @Test
    void clientMeasuredLatenciesMatchVirtualTime(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("slow-sim-model.json");
        Files.writeString(profile, SLOW_PROFILE);
        ServerConfig defaults = ServerConfig.defaults(SLOW_MODEL, Policy.FCFS);
        ServerConfig config = new ServerConfig(SLOW_MODEL, Policy.FCFS, defaults.maxNumSeqs(),
                defaults.maxNumBatchedTokens(), defaults.maxModelLen(), defaults.blockSize(), defaults.swapSpaceGib(),
                defaults.gpuMemoryUtilization(), defaults.enableChunkedPrefill(), defaults.stepsBeforePreemption(),
                defaults.seed(), Optional.of(profile.toString()), 1.0);
        // short warm-up prompts: the workload's own would take this model most of a minute to prefill
        assertAgreement(config, workload(dir.resolve("workload.json"), SLOW_MODEL, 30, 10, 30), 30, 2.5,
                (server, prompts) -> Warmup.run(server, 64, 8));
    }

    /**
     * The shipped Llama 3 8B H100 profile at moderate load: prefills of 20 to 30 ms, decode steps of
     * about 7 ms, ten or so requests running at once.
     */
    @Test
    @Tag("benchmark")
    void clientMeasuredLatenciesMatchVirtualTimeForLlama3OnH100(@TempDir Path dir) throws Exception {
        String model = "meta-llama/Meta-Llama-3-8B";
        // the request path is compiled for prompts of this size, as it is in a server that has been up a while
        assertAgreement(ServerConfig.defaults(model, Policy.FCFS),
                workload(dir.resolve("workload.json"), model, 60, 40, 160), 60, 6.0, (server, prompts) -> Warmup.run(server, prompts, 8));
    }

    /** Compiles the server's request and write paths before anything is timed. */
    private interface WarmUp {
        void run(SimServer server, List<String> workloadPrompts);
    }

    private static void assertAgreement(ServerConfig config, Path dataset, int requests, double rateRps,
            WarmUp warmUp) throws Exception {
        ServeResult live;
        try (SimServer server = SimServer.start(config, "127.0.0.1", 0, List.of())) {
            List<String> prompts = new ArrayList<>();
            JSON.readTree(dataset.toFile()).forEach(row -> prompts.add(row.get("input").textValue()));
            for (int round = 0; round < 4; round++) {
                warmUp.run(server, prompts);
            }
            ServeSpec spec = new ServeSpec("vllm", server.baseUrl(), "/v1/completions", server.modelName(),
                    Optional.empty(), Policy.FCFS, dataset, requests, rateRps, 1.0, OptionalInt.empty(), 0,
                    List.of("ttft", "tpot", "itl", "e2el"), List.of(99.0), Map.of(), true, Map.of(),
                    new PrioritySource.None());
            live = new ServingBenchmark(spec, Optional.empty()).run(event -> { });
        }
        List<RequestRecord> records = live.records();
        assertEquals(requests, records.size());
        assertTrue(records.stream().allMatch(RequestRecord::success), "every request succeeded");

        List<Arrival> arrivals = new ArrayList<>();
        for (RequestRecord r : records) {
            arrivals.add(new Arrival(r.actualSendNanos(), new SimRequest("r" + r.index(), "prompt " + r.index(),
                    r.promptTokens(), r.maxTokens(), 0, true, OptionalLong.empty())));
        }
        VirtualResult virtual = SimEngines.virtual(config).run(arrivals);

        double liveTtft = records.stream().mapToLong(RequestRecord::ttftNanos).average().orElseThrow();
        double liveE2el = records.stream().mapToLong(RequestRecord::e2elNanos).average().orElseThrow();
        double virtualTtft = virtual.requests().stream().mapToLong(RequestTiming::ttftNanos).average().orElseThrow();
        double virtualE2el = virtual.requests().stream().mapToLong(RequestTiming::e2eNanos).average().orElseThrow();
        String report = String.format("%s: mean TTFT live %.2f ms, virtual %.2f ms; mean E2EL live %.1f ms, "
                + "virtual %.1f ms", config.model(), liveTtft / 1e6, virtualTtft / 1e6, liveE2el / 1e6,
                virtualE2el / 1e6);
        System.out.println("[agreement] " + report);
        assertTrue(Math.abs(liveTtft - virtualTtft) <= 0.10 * virtualTtft, report);
        assertTrue(Math.abs(liveE2el - virtualE2el) <= 0.10 * virtualE2el, report);
        assertEquals(records.stream().mapToInt(RequestRecord::outputTokens).sum(), virtual.outputTokens());
    }

    /**
     * The seed's prompts, each repeated to 600-1000 tokens (a chat turn with some context), with
     * answers of {@code minOutput} to {@code maxOutput} tokens; twice as many rows as requests.
     */
    private static Path workload(Path file, String model, int requests, int minOutput, int maxOutput)
            throws Exception {
        JsonNode seed = JSON.readTree(SeedData.file("gpt2_data.json").toFile());
        SimTokenizer tokenizer = SimTokenizer.forModel(model);
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; rows.size() < 2 * requests; i++) {
            String text = seed.get(i).get("input").textValue();
            StringBuilder prompt = new StringBuilder(text);
            while (tokenizer.countPrompt(prompt + "\n" + text) <= 1000) {
                prompt.append('\n').append(text);
            }
            if (tokenizer.countPrompt(prompt.toString()) < 600) {
                continue;
            }
            int output = minOutput + (i * 37) % (maxOutput - minOutput + 1);
            rows.addObject().put("input", prompt.toString()).put("output_len", output * 5).put("output_tokens", output);
        }
        Files.writeString(file, rows.toString());
        return file;
    }
}
