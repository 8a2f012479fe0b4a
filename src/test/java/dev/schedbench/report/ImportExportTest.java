package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.store.Database;
import dev.schedbench.store.Note;
import dev.schedbench.store.RunContent;
import dev.schedbench.store.RunHeader;
import dev.schedbench.store.RunRecorder;
import dev.schedbench.store.RunResult;
import dev.schedbench.store.RunStatus;
import dev.schedbench.store.StoredRun;
import dev.schedbench.store.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportExportTest {

    @TempDir
    Path dir;

    /** A run with every kind of data: requests (one failed, one with a quoted, multi-line text), samples, tags, notes. */
    static RunContent sampleRun() {
        List<RequestRecord> requests = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            requests.add(TestRuns.request(i, 3));
        }
        RequestRecord multiLine = TestRuns.request(7, 2);
        requests.add(new RequestRecord(7, 5, 3, 8, multiLine.priority(), 3, 700_000_000L, 700_001_234L, 9_876_543L,
                40_000_001L, multiLine.itlNanos(), "line one\r\nline \"two\", and more", ""));
        SequencedMap<String, Object> result = new LinkedHashMap<>();
        result.put("date", "20241124-102000");
        result.put("backend", "vllm");
        result.put("model_id", "gpt2");
        result.put("request_rate", 10.0);
        result.put("max_concurrency", null);
        result.put("completed", 7);
        result.put("request_goodput:", null);
        result.put("input_lens", List.of());
        result.put("ttfts", List.of());
        result.put("itls", List.of());
        result.put("mean_ttft_ms", 20.000003);
        result.put("p99_ttft_ms", 20.00000694);
        RunResult stored = RunResult.of(ReportJson.MAPPER.valueToTree(result),
                Optional.of(ReportJson.MAPPER.valueToTree(Map.of("schedbench_client", Map.of("send_lag_p99_ms", 0.012)))));
        RunHeader header = new RunHeader("serve", RunStatus.FINISHED, "sim", "gpt2", Optional.of(Policy.PRIORITY_ROUND_ROBIN),
                "{\"num_prompts\": 8, \"request_rate\": 10.0, \"percentile_metrics\": [\"ttft\"]}",
                Optional.of("schedbench serve --engine sim --scheduling-policy priority-round-robin"), 8,
                new dev.schedbench.model.Version("0.1.0", "25.0.3+9", "25.0.4"), "lab-host", TestRuns.STARTED,
                Optional.of(TestRuns.STARTED.plusMillis(61_234)), "", stored);
        return new RunContent(header, requests,
                List.of(new RunEvent.Snapshot(250_000_000L, 3, 0, 0, 0.0, 0.0),
                        new RunEvent.Snapshot(500_000_000L, 2, 4, 1, 310.5, 10.25)),
                List.of(new RunEvent.ServerState(250_000_000L, 3, 5, 0.4375, 0),
                        new RunEvent.ServerState(500_000_000L, 2, 1, 0.125, 2)),
                List.of("baseline", "sim"), List.of(new Note(Instant.parse("2024-11-24T11:00:00Z"), "first try, cold cache")));
    }

    @Test
    void fullJsonAndCsvExportsMatchTheirGoldenFiles() {
        try (Database db = Database.open(dir.resolve("db"))) {
            long id = db.runs().save(sampleRun());
            RunContent stored = db.runs().content(id);
            Golden.assertMatches("run-full.json", FullJson.toJson(stored));
            Golden.assertMatches("run-requests.csv", RequestsCsv.toCsv(stored.requests()));
        }
    }

    @Test
    void fullJsonSurvivesExportImportExport() throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            long id = db.runs().save(sampleRun());
            String first = FullJson.toJson(db.runs().content(id));
            Path file = Files.writeString(dir.resolve("run.json"), first);

            RunImporter.Imported imported = RunImporter.importFile(db.runs(), file);
            assertTrue(imported.runId() != id);
            StoredRun copy = db.runs().require(imported.runId());
            assertTrue(copy.imported());
            assertEquals(Optional.of("run.json"), copy.sourceFile());

            assertEquals(first, FullJson.toJson(db.runs().content(imported.runId())));
            RunContent original = db.runs().content(id);
            RunContent restored = db.runs().content(imported.runId());
            assertEquals(original.requests(), restored.requests());
            assertEquals(original.samples(), restored.samples());
            assertEquals(original.serverSamples(), restored.serverSamples());
            assertEquals(original.header().result(), restored.header().result());
        }
    }

    @Test
    void aRecordedRunRoundTripsThroughTheFullExportIntoAnotherDatabase() throws Exception {
        long id;
        String exported;
        try (Database db = Database.open(dir.resolve("a.db"))) {
            try (RunRecorder recorder = RunRecorder.open(db)) {
                recorder.on(new RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
                for (int i = 0; i < 20; i++) {
                    recorder.on(new RunEvent.RequestFinished(TestRuns.request(i, 8)));
                }
                recorder.on(new RunEvent.Snapshot(1, 2, 3, 4, 5.5, 6.5));
                recorder.on(new RunEvent.Finished(new LinkedHashMap<>(Map.of("completed", 17)), Map.of()));
                recorder.close();
                id = recorder.runIds().getFirst();
            }
            exported = FullJson.toJson(db.runs().content(id));
        }
        Path file = Files.writeString(dir.resolve("export.json"), exported);
        try (Database other = Database.open(dir.resolve("b.db"))) {
            long copy = RunImporter.importFile(other.runs(), file).runId();
            assertEquals(exported, FullJson.toJson(other.runs().content(copy)));
        }
    }

    @Test
    void vllmResultsRoundTripByteForByteWhenTheirTimesFitTheStoredPrecision() throws Exception {
        Path source = Golden.resource("vllm-infqps-gpt2-20241124-102000.json");
        try (Database db = Database.open(dir.resolve("db"))) {
            RunImporter.Imported imported = RunImporter.importFile(db.runs(), source);
            assertEquals("serve", imported.kind());
            assertEquals("gpt2", imported.model());
            assertEquals(Optional.empty(), imported.policy());
            assertEquals(4, imported.requests());
            StoredRun run = db.runs().require(imported.runId());
            assertEquals(RunStatus.FINISHED, run.header().status());
            assertTrue(run.imported());

            String exported = VllmJson.toJson(run, db.runs().requests(imported.runId()));
            assertEquals(Files.readString(source), exported);
        }
    }

    @Test
    void vllmResultsWithFullPrecisionKeepEveryKeyAndValue() throws Exception {
        for (String name : List.of("priority_round_robin_o.json", "vllm-0.6.2-10.0qps-opt-125m.json")) {
            Path source = Golden.resource(name);
            try (Database db = Database.open(dir.resolve(name + ".db"))) {
                long id = RunImporter.importFile(db.runs(), source).runId();
                StoredRun run = db.runs().require(id);
                JsonNode original = ReportJson.MAPPER.readTree(source.toFile());
                JsonNode exported = ReportJson.MAPPER.readTree(VllmJson.toJson(run, db.runs().requests(id)));
                assertEquals(names(original), names(exported), name);
                for (String key : names(original)) {
                    // ITLs are kept to the microsecond, other times to the nanosecond.
                    double tolerance = key.equals("itls") ? 5e-7 : 5e-10;
                    assertClose(original.get(key), exported.get(key), tolerance, name + " " + key);
                }
            }
        }
    }

    @Test
    void aServingFileSaysItsModelAndTheFileNameItsPolicy() {
        try (Database db = Database.open(dir.resolve("db"))) {
            RunImporter.Imported prr = RunImporter.importFile(db.runs(), Golden.resource("priority_round_robin_o.json"));
            assertEquals(Optional.of(Policy.PRIORITY_ROUND_ROBIN), prr.policy());
            assertEquals("gpt2", prr.model());
            RunImporter.Imported old = RunImporter.importFile(db.runs(), Golden.resource("vllm-0.6.2-10.0qps-opt-125m.json"));
            assertEquals("facebook/opt-125m", old.model());
            StoredRun oldRun = db.runs().require(old.runId());
            // Without e2els the end-to-end latency is the last token's time: TTFT plus every gap.
            RequestRecord first = db.runs().requests(old.runId()).getFirst();
            long sum = first.ttftNanos();
            for (long gap : first.itlNanos()) {
                sum += gap;
            }
            assertTrue(Math.abs(first.e2elNanos() - sum) <= first.itlNanos().length * 500L + 1);
            assertFalse(oldRun.header().result().keys().contains("e2els"));
        }
    }

    @Test
    void theSeedsOnlineLayoutGivesModelAndPolicyFromTheFolders() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("data/meta-llama_Llama-3.2-1B/1024/30"));
        SequencedMap<String, Object> doc = VllmJson.parse(Files.readString(Golden.resource("vllm-infqps-gpt2-20241124-102000.json")));
        doc.remove("model_id");
        Path file = Files.writeString(folder.resolve("priority_round_robin_reverse_o.json"), ResultFiles.toJson(doc));
        try (Database db = Database.open(dir.resolve("db"))) {
            RunImporter.Imported imported = RunImporter.importFile(db.runs(), file);
            assertEquals("meta-llama/Llama-3.2-1B", imported.model());
            assertEquals(Optional.of(Policy.PRIORITY_ROUND_ROBIN_REVERSE), imported.policy());
            JsonNode spec = ReportJson.MAPPER.readTree(db.runs().require(imported.runId()).header().specJson());
            assertEquals("folder", spec.get("model_from").asText());
            assertEquals("file name", spec.get("policy_from").asText());
            assertEquals(1024, spec.get("output_len_folder").asInt());
        }
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void assertClose(JsonNode expected, JsonNode actual, double tolerance, String where) {
        if (expected.isArray()) {
            assertTrue(actual.isArray(), where);
            assertEquals(expected.size(), actual.size(), where);
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            while (e.hasNext()) {
                assertClose(e.next(), a.next(), tolerance, where + "[" + i++ + "]");
            }
        } else if (expected.isFloatingPointNumber()) {
            assertEquals(expected.asDouble(), actual.asDouble(), tolerance, where);
        } else {
            assertEquals(expected, actual, where);
        }
    }
}
