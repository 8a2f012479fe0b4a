package dev.schedbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import dev.schedbench.testsupport.ScriptedSseServer;
import dev.schedbench.testsupport.ScriptedSseServer.Script;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingBenchmarkTest {

    @TempDir
    Path dir;

    /** Rows whose prompt says what the server should do; five words is at least four GPT-2 tokens. */
    private Path dataset(List<String> prompts, int outputTokens) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < prompts.size(); i++) {
            jsonl.append("{\"prompt\": \"").append(prompts.get(i)).append("\", \"output_tokens\": ")
                    .append(outputTokens + i).append("}\n");
        }
        return Files.writeString(dir.resolve("data.jsonl"), jsonl);
    }

    private static ServeSpec spec(URI base, Path data, int numPrompts, double rate, Policy policy, PrioritySource priority) {
        return new ServeSpec("vllm", base, "/v1/completions", "gpt2", Optional.empty(), policy, data, numPrompts, rate, 1.0,
                OptionalInt.empty(), 0, List.of("ttft", "tpot", "itl", "e2el"), List.of(50.0, 99.0), Map.of("ttft", 5000.0),
                false, Map.of("site", "lab"), priority);
    }

    private static final class Events implements dev.schedbench.model.RunListener {
        final List<RunEvent> all = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void on(RunEvent event) {
            all.add(event);
        }

        <T extends RunEvent> List<T> of(Class<T> type) {
            synchronized (all) {
                return all.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }
    }

    @Test
    void failedRequestsAreRecordedWhileTheOthersSucceed() throws IOException {
        List<String> prompts = List.of(
                "ok stream number one please", "ok stream number two please", "reset the connection midway please",
                "error event in the middle please", "http five hundred error please", "garbage line in stream please",
                "ok stream number three please", "ok stream number four please");
        AtomicInteger seen = new AtomicInteger();
        Function<com.fasterxml.jackson.databind.JsonNode, Script> route = body -> {
            String prompt = body.path("prompt").asText();
            if (seen.getAndIncrement() == 0 || prompt.startsWith("ok")) {
                return ScriptedSseServer.paced(3, 20, 10);
            }
            return switch (prompt.split(" ")[0]) {
                case "reset" -> Script.stream(List.of(ScriptedSseServer.Write.of(ScriptedSseServer.chunk("a")),
                        new ScriptedSseServer.Pause(20), new ScriptedSseServer.Reset()));
                case "error" -> Script.stream(List.of(ScriptedSseServer.Write.of(ScriptedSseServer.chunk("a")
                        + "data: {\"error\": {\"message\": \"boom\"}}\n\n")));
                case "http" -> Script.json(500, "{\"message\": \"server fell over\"}");
                default -> Script.stream(List.of(ScriptedSseServer.Write.of("not an event\n")));
            };
        };
        Events events = new Events();
        ServeResult result;
        try (ScriptedSseServer server = new ScriptedSseServer(route, Optional.empty())) {
            ServeSpec spec = spec(server.baseUrl(), dataset(prompts, 8), 100, 200, Policy.FCFS, new PrioritySource.Oracle());
            result = new ServingBenchmark(spec, Optional.empty()).run(events);
            assertEquals(prompts.size() + 1, server.completionRequests().size(), "warm-up plus one per request");
            assertTrue(server.completionRequests().stream().noneMatch(r -> r.body().has("priority")), "no priority under fcfs");
            assertTrue(server.completionRequests().stream().noneMatch(r -> r.headers().containsKey("authorization")));
        }
        assertEquals(prompts.size(), result.records().size());
        Map<String, String> errors = new java.util.HashMap<>();
        for (RequestRecord r : result.records()) {
            assertEquals(r.index(), result.records().indexOf(r));
            String prompt = prompts.stream().filter(p -> r.maxTokens() == 8 + prompts.indexOf(p)).findFirst().orElseThrow();
            errors.put(prompt.split(" ")[0] + r.maxTokens(), r.error());
            if (prompt.startsWith("ok")) {
                assertTrue(r.success(), r.toString());
                assertEquals(3, r.outputTokens());
                assertEquals(2, r.itlNanos().length);
                assertTrue(r.ttftNanos() > 0 && r.e2elNanos() >= r.ttftNanos());
            } else {
                assertFalse(r.success(), r.toString());
                assertEquals(0, r.outputTokens());
            }
            assertTrue(r.actualSendNanos() >= r.scheduledSendNanos(), "sent no earlier than scheduled");
        }
        assertEquals(4, result.metrics().completed());
        assertEquals(4, result.metrics().failed());
        String joined = String.join("|", errors.values());
        assertTrue(joined.contains("server error: boom"), joined);
        assertTrue(joined.contains("HTTP 500: server fell over"), joined);
        assertTrue(joined.contains("unexpected line in the event stream"), joined);
        assertTrue(joined.contains("connection"), joined);

        assertInstanceOf(RunEvent.Started.class, events.all.stream().filter(e -> !(e instanceof RunEvent.Log)).findFirst().orElseThrow());
        assertEquals(prompts.size(), events.of(RunEvent.RequestFinished.class).size());
        assertFalse(events.of(RunEvent.Snapshot.class).isEmpty());
        RunEvent.Snapshot last = events.of(RunEvent.Snapshot.class).getLast();
        assertEquals(4, last.completed());
        assertEquals(4, last.failed());
        RunEvent.Finished finished = events.of(RunEvent.Finished.class).getFirst();
        assertEquals(List.of("date", "backend", "model_id", "tokenizer_id", "best_of", "num_prompts", "site", "request_rate",
                "burstiness", "max_concurrency", "duration", "completed"), List.copyOf(finished.result().keySet()).subList(0, 12));
        assertEquals(200.0, finished.result().get("request_rate"));
        assertTrue(finished.result().containsKey("request_goodput:"));
        assertTrue(finished.result().containsKey("p99_e2el_ms"));
        assertEquals(result.tokenCounting(), finished.extra().get("schedbench_token_counting"));
        assertTrue(result.tokenCounting().startsWith("local r50k_base"), result.tokenCounting());
    }

    @Test
    void prioritiesGoOnTheWireOnlyUnderAPriorityPolicyAndServerTokenizingIsUsed() throws IOException {
        List<String> prompts = IntStream.range(0, 12).mapToObj(i -> "prompt number " + i + " for priorities").toList();
        Path data = dataset(prompts, 10);
        try (ScriptedSseServer server = new ScriptedSseServer(b -> ScriptedSseServer.paced(2, 5, 5),
                Optional.of(text -> text.split(" ").length))) {
            ServeResult result = new ServingBenchmark(
                    spec(server.baseUrl(), data, 12, Double.POSITIVE_INFINITY, Policy.PRIORITY, new PrioritySource.Oracle()),
                    Optional.empty()).run(dev.schedbench.model.RunListener.NONE);
            assertTrue(result.tokenCounting().startsWith("server /tokenize"), result.tokenCounting());
            assertTrue(result.records().stream().allMatch(r -> r.promptTokens() == 5), "counted by the server: 5 words");
            for (RequestRecord r : result.records()) {
                assertEquals(r.maxTokens(), r.priority().orElseThrow(), "oracle priority = max_tokens");
            }
            Map<Integer, Long> perClass = result.records().stream()
                    .collect(Collectors.groupingBy(RequestRecord::priorityClass, Collectors.counting()));
            assertEquals(Map.of(0, 3L, 1, 3L, 2, 3L, 3, 3L), perClass, "quartiles of 12 distinct priorities");
            List<ScriptedSseServer.Received> sent = server.completionRequests();
            assertTrue(sent.stream().allMatch(r -> r.body().path("max_tokens").asLong() == r.body().path("priority").asLong()));
            assertTrue(result.records().stream().allMatch(r -> r.scheduledSendNanos() == 0), "inf rate: all due at once");
        }
    }

    @Test
    void maxConcurrencyOneSendsEachRequestAfterThePreviousEnded() throws IOException {
        List<String> prompts = IntStream.range(0, 6).mapToObj(i -> "prompt number " + i + " one at a time").toList();
        Path data = dataset(prompts, 10);
        try (ScriptedSseServer server = new ScriptedSseServer(b -> ScriptedSseServer.paced(3, 10, 5), Optional.empty())) {
            ServeSpec base = spec(server.baseUrl(), data, 6, Double.POSITIVE_INFINITY, Policy.FCFS, new PrioritySource.None());
            ServeSpec spec = new ServeSpec(base.backend(), base.baseUrl(), base.endpoint(), base.model(), base.tokenizer(),
                    base.schedule(), base.datasetPath(), base.numPrompts(), base.requestRateRps(), base.burstiness(),
                    OptionalInt.of(1), base.seed(), base.percentileMetrics(), base.metricPercentiles(), base.goodputSlosMs(),
                    base.ignoreEos(), base.metadata(), base.priority());
            ServeResult result = new ServingBenchmark(spec, Optional.empty()).run(e -> { });
            List<RequestRecord> bySend = result.records().stream()
                    .sorted(java.util.Comparator.comparingLong(RequestRecord::actualSendNanos)).toList();
            for (int i = 1; i < bySend.size(); i++) {
                RequestRecord previous = bySend.get(i - 1);
                assertTrue(bySend.get(i).actualSendNanos() >= previous.actualSendNanos() + previous.e2elNanos(),
                        "request " + bySend.get(i).index() + " started before " + previous.index() + " ended");
            }
            assertTrue(result.records().stream().allMatch(RequestRecord::success));
        }
    }

    @Test
    void binnedPrioritiesSendTheBin() throws IOException {
        List<String> prompts = IntStream.range(0, 8).mapToObj(i -> "prompt number " + i + " for bins").toList();
        Path data = dataset(prompts, 10);
        try (ScriptedSseServer server = new ScriptedSseServer(b -> ScriptedSseServer.paced(1, 1, 1), Optional.empty())) {
            ServeResult result = new ServingBenchmark(spec(server.baseUrl(), data, 8, Double.POSITIVE_INFINITY,
                    Policy.PRIORITY_ROUND_ROBIN, PrioritySource.parse("binned:2")), Optional.empty()).run(e -> { });
            for (RequestRecord r : result.records()) {
                long bin = r.maxTokens() <= 13.5 ? 0 : 1;
                assertEquals(bin, r.priority().orElseThrow(), r.toString());
                assertEquals(bin, r.priorityClass());
            }
        }
    }

    @Test
    void aFailingTestRequestStopsTheRunWithTheServersMessage() throws IOException {
        Path data = dataset(List.of("a prompt of several words"), 8);
        try (ScriptedSseServer server = new ScriptedSseServer(
                b -> Script.json(400, "{\"object\": \"error\", \"message\": \"Got priority 8 but Priority scheduling is not enabled.\"}"),
                Optional.empty())) {
            Events events = new Events();
            UserError e = assertThrows(UserError.class, () -> new ServingBenchmark(
                    spec(server.baseUrl(), data, 1, 1, Policy.FCFS, new PrioritySource.None()), Optional.empty()).run(events));
            assertTrue(e.getMessage().contains("the test request to " + server.baseUrl() + "/v1/completions failed: HTTP 400: "
                    + "Got priority 8 but Priority scheduling is not enabled."), e.getMessage());
            assertTrue(events.of(RunEvent.Started.class).isEmpty(), "nothing was timed");
        }
    }

    @Test
    void noServerAtTheUrlIsAClearError() throws IOException {
        Path data = dataset(List.of("a prompt of several words"), 8);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        UserError e = assertThrows(UserError.class, () -> new ServingBenchmark(
                spec(base, data, 1, 1, Policy.FCFS, new PrioritySource.None()), Optional.empty()).run(ev -> { }));
        assertTrue(e.getMessage().startsWith("cannot connect to the server at " + base), e.getMessage());
        assertTrue(e.getMessage().contains("--base-url"), e.getMessage());
    }

    @Test
    void anEmptySampleIsAClearError() throws IOException {
        Path data = dataset(List.of("hi", "tiny"), 100);
        try (ScriptedSseServer server = new ScriptedSseServer(b -> ScriptedSseServer.paced(1, 1, 1), Optional.empty())) {
            UserError e = assertThrows(UserError.class, () -> new ServingBenchmark(
                    spec(server.baseUrl(), data, 5, 1, Policy.FCFS, new PrioritySource.None()), Optional.empty()).run(ev -> { }));
            assertTrue(e.getMessage().contains("no request left to send from dataset " + data), e.getMessage());
            assertTrue(e.getMessage().contains("2 with a prompt or answer under 4 tokens"), e.getMessage());
        }
    }
}
