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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live server and the virtual-time engine are the same simulator: {@code bench serve}'s client
 * against {@code serve --engine sim} at real speed measures the latencies the virtual-time engine
 * computes for the same requests arriving at the same moments. The model is the shipped Llama 3 8B
 * profile on an H100 at moderate load (prefills of 20 to 30 ms, decode steps of about 7 ms, ten or
 * so requests running at once), so a millisecond of HTTP round trip and thread wake-ups, which the
 * virtual engine has no notion of, stays small next to the latencies compared.
 */
class LiveVirtualAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 60;
    private static final double RATE_RPS = 6.0;
    private static final String MODEL = "meta-llama/Meta-Llama-3-8B";

    @Test
    void clientMeasuredLatenciesMatchVirtualTime(@TempDir Path dir) throws Exception {
        ServerConfig config = ServerConfig.defaults(MODEL, Policy.FCFS);
        Path dataset = workload(dir.resolve("workload.json"));
        ServeResult live;
        try (SimServer server = SimServer.start(config, "127.0.0.1", 0, List.of())) {
            // the request path is compiled for prompts of this size, as it is in a server that has been up a while
            List<String> prompts = new ArrayList<>();
            JSON.readTree(dataset.toFile()).forEach(row -> prompts.add(row.get("input").textValue()));
            for (int round = 0; round < 4; round++) {
                Warmup.run(server, prompts, 8);
            }
            ServeSpec spec = new ServeSpec("vllm", server.baseUrl(), "/v1/completions", server.modelName(),
                    Optional.empty(), Policy.FCFS, dataset, REQUESTS, RATE_RPS, 1.0, OptionalInt.empty(), 0,
                    List.of("ttft", "tpot", "itl", "e2el"), List.of(99.0), Map.of(), true, Map.of(),
                    new PrioritySource.None());
            live = new ServingBenchmark(spec, Optional.empty()).run(event -> { });
        }
        List<RequestRecord> records = live.records();
        assertEquals(REQUESTS, records.size());
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
        String report = String.format("mean TTFT live %.2f ms, virtual %.2f ms; mean E2EL live %.1f ms, virtual %.1f ms",
                liveTtft / 1e6, virtualTtft / 1e6, liveE2el / 1e6, virtualE2el / 1e6);
        System.out.println("[agreement] " + report);
        assertTrue(Math.abs(liveTtft - virtualTtft) <= 0.10 * virtualTtft, report);
        assertTrue(Math.abs(liveE2el - virtualE2el) <= 0.10 * virtualE2el, report);
        assertEquals(records.stream().mapToInt(RequestRecord::outputTokens).sum(), virtual.outputTokens());
    }

    /**
     * The seed's prompts, each repeated to 600-1000 tokens (a chat turn with some context), with
     * answers of 40 to 160 tokens.
     */
    private static Path workload(Path file) throws Exception {
        JsonNode seed = JSON.readTree(SeedData.file("gpt2_data.json").toFile());
        SimTokenizer tokenizer = SimTokenizer.forModel(MODEL);
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; rows.size() < 2 * REQUESTS; i++) {
            String text = seed.get(i).get("input").textValue();
            StringBuilder prompt = new StringBuilder(text);
            while (tokenizer.countPrompt(prompt + "\n" + text) <= 1000) {
                prompt.append('\n').append(text);
            }
            if (tokenizer.countPrompt(prompt.toString()) < 600) {
                continue;
            }
            int output = 40 + (i * 37) % 121;
            rows.addObject().put("input", prompt.toString()).put("output_len", output * 5).put("output_tokens", output);
        }
        Files.writeString(file, rows.toString());
        return file;
    }
}
