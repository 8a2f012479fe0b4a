package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.UserError;
import dev.schedbench.model.Version;
import dev.schedbench.model.Workspace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {

    @TempDir
    Path dir;

    @Test
    void aFinishedRunKeepsItsInfoRequestsSamplesAndResultDocument() throws Exception {
        Workspace ws = new Workspace(dir);
        List<RequestRecord> sent = List.of(TestRuns.request(2, 4), TestRuns.request(0, 3), TestRuns.request(1, 0),
                TestRuns.request(6, 2));
        SequencedMap<String, Object> result = new LinkedHashMap<>();
        result.put("date", "20241124-102000");
        result.put("completed", 3);
        result.put("input_lens", List.of(20, 21, 22, 26));
        result.put("ttfts", List.of(0.02, 0.02, 0.02, 0.0));
        result.put("mean_ttft_ms", 20.0);
        result.put("request_goodput:", null);

        long runId;
        try (RunRecorder recorder = RunRecorder.open(ws)) {
            recorder.on(new RunEvent.Started(TestRuns.info(Policy.PRIORITY_ROUND_ROBIN), TestRuns.STARTED, 123));
            recorder.on(new RunEvent.Progress("requests", 0, 4, "req", 0));
            recorder.on(new RunEvent.Snapshot(250_000_000, 4, 0, 0, 0, 0));
            sent.forEach(r -> recorder.on(new RunEvent.RequestFinished(r)));
            recorder.on(new RunEvent.ServerState(250_000_000, 3, 1, 0.5, 0));
            recorder.on(new RunEvent.ServerState(500_000_000, 0, 0, 0.0, 2));
            recorder.on(new RunEvent.Log("server", "INFO done"));
            recorder.on(new RunEvent.Finished(result, Map.of("per_class", List.of(1, 2))));
            recorder.close();
            runId = recorder.runIds().getFirst();
            assertEquals(0, recorder.blockedEvents());
        }

        try (Database db = Database.open(ws)) {
            StoredRun run = db.runs().require(runId);
            RunHeader h = run.header();
            assertEquals(RunStatus.FINISHED, h.status());
            assertEquals("serve", h.kind());
            assertEquals("sim", h.engine());
            assertEquals("gpt2", h.model());
            assertEquals(Policy.PRIORITY_ROUND_ROBIN, h.policy().orElseThrow());
            assertEquals("{\"num_prompts\":3,\"request_rate\":10.0}", h.specJson());
            assertEquals("schedbench serve --engine sim", h.serverCommand().orElseThrow());
            assertEquals(TestRuns.STARTED, h.startedAt());
            assertTrue(h.finishedAt().isPresent());
            assertEquals(Version.current(), h.versions());
            assertEquals(ProcessOwner.localHost(), h.host());
            assertTrue(run.sourceFile().isEmpty());

            assertEquals(List.of("date", "completed", "input_lens", "ttfts", "mean_ttft_ms", "request_goodput:"),
                    h.result().keys());
            JsonNode summary = StoreJson.MAPPER.readTree(h.result().summaryJson().orElseThrow());
            assertEquals(List.of("date", "completed", "mean_ttft_ms", "request_goodput:"), names(summary));
            assertTrue(summary.get("request_goodput:").isNull());
            assertEquals("{\"per_class\":[1,2]}", h.result().extraJson().orElseThrow());

            List<RequestRecord> stored = db.runs().requests(runId);
            assertEquals(List.of(0, 1, 2, 6), stored.stream().map(RequestRecord::index).toList());
            for (RequestRecord r : stored) {
                assertEquals(sent.stream().filter(s -> s.index() == r.index()).findFirst().orElseThrow(), r);
            }
            assertEquals(List.of(new RunEvent.Snapshot(250_000_000, 4, 0, 0, 0, 0)), db.runs().samples(runId));
            assertEquals(2, db.runs().serverSamples(runId).size());
            assertEquals(2.0, db.runs().serverSamples(runId).get(1).preemptionsTotal());
        }
    }

    @Test
    void nanosecondItlsAreKeptToTheMicrosecond() {
        RequestRecord r = new RequestRecord(0, 1, 4, 4, OptionalLong.empty(), 0, 0, 0, 1, 2,
                new long[] {1_499, 1_500, 20_123_456, 3, 0, 7_000_000_000L}, "", "");
        try (Database db = Database.open(dir.resolve("db")); RunRecorder recorder = RunRecorder.open(db)) {
            recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
            recorder.on(new RunEvent.RequestFinished(r));
            recorder.close();
            long[] back = db.runs().requests(recorder.runIds().getFirst()).getFirst().itlNanos();
            assertArrayEquals(new long[] {1_000, 2_000, 20_123_000, 0, 0, 7_000_000_000L}, back);
        }
    }

    @Test
    void failuresAndEarlyClosesEndTheRunWithTheRightStatus() {
        try (Database db = Database.open(dir.resolve("db"))) {
            try (RunRecorder recorder = RunRecorder.open(db)) {
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
                recorder.on(new RunEvent.RequestFinished(TestRuns.request(0, 2)));
                recorder.on(new RunEvent.Failed("server died: CUDA out of memory", false));
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.PRIORITY), TestRuns.STARTED, 0));
                recorder.on(new RunEvent.Failed("cancelled by the user", true));
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.ROUND_ROBIN), TestRuns.STARTED, 0));
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
                recorder.on(new RunEvent.RequestFinished(TestRuns.request(1, 2)));
            }
            List<StoredRun> runs = db.runs().list(RunFilter.all()).stream().map(l -> db.runs().require(l.id())).toList();
            assertEquals(List.of(RunStatus.FAILED, RunStatus.INTERRUPTED, RunStatus.INTERRUPTED, RunStatus.INTERRUPTED),
                    runs.stream().map(r -> r.header().status()).toList());
            assertEquals("server died: CUDA out of memory", runs.get(0).header().message());
            assertEquals("cancelled by the user", runs.get(1).header().message());
            assertTrue(runs.get(2).header().message().contains("new run started"), runs.get(2).header().message());
            assertTrue(runs.get(3).header().message().contains("recording stopped"), runs.get(3).header().message());
            assertEquals(1, db.runs().requestCount(runs.get(0).id()));
            assertEquals(1, db.runs().requestCount(runs.get(3).id()));
        }
    }

    @Test
    void eventsWithoutAStartedRunAreIgnored() {
        try (Database db = Database.open(dir.resolve("db"))) {
            try (RunRecorder recorder = RunRecorder.open(db)) {
                recorder.on(new RunEvent.RequestFinished(TestRuns.request(0, 2)));
                recorder.on(new RunEvent.Finished(new LinkedHashMap<>(), Map.of()));
            }
            assertTrue(db.runs().list(RunFilter.all()).isEmpty());
        }
    }

    @Test
    void manyEventsFromManyThreadsAllLand() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        try (Database db = Database.open(dir.resolve("db"))) {
            long runId;
            try (RunRecorder recorder = RunRecorder.open(db)) {
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
                List<Thread> workers = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * perThread;
                    workers.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < perThread; i++) {
                            recorder.on(new RunEvent.RequestFinished(TestRuns.request(base + i, 10)));
                        }
                    }));
                }
                for (Thread w : workers) {
                    w.join();
                }
                recorder.on(new RunEvent.Finished(new LinkedHashMap<>(Map.of("completed", threads * perThread)), Map.of()));
                recorder.close();
                runId = recorder.runIds().getFirst();
            }
            assertEquals(threads * perThread, db.runs().requestCount(runId));
            assertEquals(RunStatus.FINISHED, db.runs().require(runId).header().status());
        }
    }

    @Test
    void requestsOfRunsThatFollowOneAnotherInOneBatchLandInTheirOwnRuns() {
        // 237 and 13 rows: full multi-row statements, smaller ones and single rows, and a run change between them.
        try (Database db = Database.open(dir.resolve("db"))) {
            List<Long> ids;
            try (RunRecorder recorder = RunRecorder.open(db)) {
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
                for (int i = 0; i < 237; i++) {
                    recorder.on(new RunEvent.RequestFinished(TestRuns.request(i, 3)));
                }
                recorder.on(new RunEvent.Finished(new LinkedHashMap<>(), Map.of()));
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.PRIORITY), TestRuns.STARTED, 0));
                for (int i = 0; i < 13; i++) {
                    recorder.on(new RunEvent.RequestFinished(TestRuns.request(1_000 + i, 4)));
                }
                recorder.close();
                ids = recorder.runIds();
            }
            assertEquals(2, ids.size());
            List<RequestRecord> first = db.runs().requests(ids.get(0));
            List<RequestRecord> second = db.runs().requests(ids.get(1));
            assertEquals(237, first.size());
            assertEquals(13, second.size());
            for (int i = 0; i < 237; i++) {
                assertEquals(TestRuns.request(i, 3), first.get(i));
            }
            for (int i = 0; i < 13; i++) {
                assertEquals(TestRuns.request(1_000 + i, 4), second.get(i));
            }
            assertEquals(RunStatus.FINISHED, db.runs().require(ids.get(0)).header().status());
            assertEquals(RunStatus.INTERRUPTED, db.runs().require(ids.get(1)).header().status());
        }
    }

    @Test
    void aFailedWriteStopsTheRecorderAndCloseNamesTheDatabase() throws Exception {
        Path file = dir.resolve("db");
        try (Database db = Database.open(file)) {
            RunRecorder recorder = RunRecorder.open(db);
            try (Connection other = db.newConnection(); Statement st = other.createStatement()) {
                st.execute("DROP TABLE requests");
            }
            recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
            for (int i = 0; i < 500; i++) {
                recorder.on(new RunEvent.RequestFinished(TestRuns.request(i, 3)));
            }
            recorder.on(new RunEvent.Finished(new LinkedHashMap<>(), Map.of()));
            UserError e = assertThrows(UserError.class, recorder::close);
            assertTrue(e.getMessage().startsWith("could not record the run into " + file.toAbsolutePath()), e.getMessage());
            assertTrue(e.getMessage().contains("requests"), e.getMessage());
            recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
