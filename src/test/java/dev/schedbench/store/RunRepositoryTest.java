package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.UserError;
import dev.schedbench.model.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRepositoryTest {

    @TempDir
    Path dir;

    private static RunContent run(String kind, String engine, String model, Optional<Policy> policy, RunStatus status) {
        RunHeader h = new RunHeader(kind, status, engine, model, policy, "{}", Optional.empty(), 0,
                new Version("0.1.0", "25", "25.0.4"), "host", TestRuns.STARTED, Optional.of(TestRuns.STARTED), "", RunResult.NONE);
        return new RunContent(h, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void listFiltersCombine() {
        try (Database db = Database.open(dir.resolve("db"))) {
            List<Long> ids = db.runs().saveAll(List.of(
                    run("serve", "sim", "gpt2", Optional.of(Policy.FCFS), RunStatus.FINISHED),
                    run("serve", "vllm", "gpt2", Optional.of(Policy.PRIORITY), RunStatus.FAILED),
                    run("latency", "vllm", "facebook/opt-125m", Optional.empty(), RunStatus.FINISHED),
                    run("serve", "sim", "gpt2", Optional.of(Policy.FCFS), RunStatus.INTERRUPTED)));
            db.runs().tag(ids.get(0), "baseline");
            db.runs().tag(ids.get(3), "baseline");

            RunRepository runs = db.runs();
            assertEquals(ids, runs.list(RunFilter.all()).stream().map(RunListing::id).toList());
            assertEquals(List.of(ids.get(0), ids.get(3)), idsOf(runs.list(RunFilter.all().withPolicy(Policy.FCFS))));
            assertEquals(List.of(ids.get(1), ids.get(2)), idsOf(runs.list(RunFilter.all().withEngine("vllm"))));
            assertEquals(List.of(ids.get(2)), idsOf(runs.list(RunFilter.all().withModel("facebook/opt-125m"))));
            assertEquals(List.of(ids.get(3)), idsOf(runs.list(RunFilter.all().withTag("baseline").withStatus(RunStatus.INTERRUPTED))));
            assertEquals(List.of(ids.get(2)), idsOf(runs.list(RunFilter.all().withKind("latency"))));
            assertEquals("-", runs.list(RunFilter.all().withKind("latency")).getFirst().policyLabel());
        }
    }

    @Test
    void aSavedRunComesBackWholeWhateverItsNumberOfRequests() {
        // Around the sizes of the multi-row inserts: none, one, a small statement, a full one, and mixtures.
        try (Database db = Database.open(dir.resolve("db"))) {
            for (int n : List.of(0, 1, 9, 10, 11, 99, 100, 101, 237)) {
                RunContent content = TestRuns.content(n);
                long id = db.runs().save(content);
                assertEquals(content.requests(), db.runs().requests(id), n + " requests");
            }
        }
    }

    @Test
    void tagsAreTrimmedSortedAndRemovable() {
        try (Database db = Database.open(dir.resolve("db"))) {
            long id = db.runs().save(TestRuns.content(1));
            db.runs().tag(id, " zeta ");
            db.runs().tag(id, "alpha");
            db.runs().tag(id, "alpha");
            assertEquals(List.of("alpha", "zeta"), db.runs().require(id).tags());
            assertTrue(db.runs().untag(id, "zeta"));
            assertFalse(db.runs().untag(id, "zeta"));
            assertEquals("a tag cannot be empty", assertThrows(UserError.class, () -> db.runs().tag(id, "  ")).getMessage());
            assertTrue(assertThrows(UserError.class, () -> db.runs().tag(99, "x")).getMessage().startsWith("no run with id 99"));
        }
    }

    @Test
    void aFailingWholeSaveLeavesNothingBehind() {
        try (Database db = Database.open(dir.resolve("db"))) {
            RunContent good = TestRuns.content(5);
            RunContent badTag = new RunContent(good.header(), good.requests(), good.samples(), good.serverSamples(),
                    List.of("fine", " "), List.of());
            assertThrows(UserError.class, () -> db.runs().importRun(badTag, "x.json"));
            assertTrue(db.runs().list(RunFilter.all()).isEmpty());
            assertThrows(UserError.class, () -> db.runs().saveAll(List.of(good, badTag)));
            assertTrue(db.runs().list(RunFilter.all()).isEmpty());

            RunContent running = new RunContent(TestRuns.header(RunStatus.RUNNING), List.of(), List.of(), List.of(),
                    List.of(), List.of());
            assertThrows(IllegalArgumentException.class, () -> db.runs().save(running));
        }
    }

    @Test
    void timingsAreTheRequestsWithoutTheirTexts() {
        try (Database db = Database.open(dir.resolve("db"))) {
            long id = db.runs().save(TestRuns.content(4));
            List<dev.schedbench.model.RequestRecord> full = db.runs().requests(id);
            List<dev.schedbench.model.RequestRecord> timings = db.runs().requestTimings(id);
            assertEquals("text of request 0, with \"quotes\"", full.getFirst().generatedText());
            for (int i = 0; i < full.size(); i++) {
                dev.schedbench.model.RequestRecord r = full.get(i);
                assertEquals(new dev.schedbench.model.RequestRecord(r.index(), r.promptTokens(), r.outputTokens(),
                        r.maxTokens(), r.priority(), r.priorityClass(), r.scheduledSendNanos(), r.actualSendNanos(),
                        r.ttftNanos(), r.e2elNanos(), r.itlNanos(), "", r.error()), timings.get(i));
            }
        }
    }

    @Test
    void suitesKeepTheirRunsInOrder() {
        try (Database db = Database.open(dir.resolve("db"))) {
            List<Long> ids = db.runs().saveAll(List.of(TestRuns.content(1), TestRuns.content(1), TestRuns.content(1)));
            long suite = db.suites().create("rates 5-15", "{\"policies\":[\"fcfs\"]}", List.of(ids.get(2), ids.get(0)));
            db.suites().add(suite, ids.get(1));
            SuiteRepository.Suite s = db.suites().list().getFirst();
            assertEquals("rates 5-15", s.name());
            assertEquals(List.of(ids.get(2), ids.get(0), ids.get(1)), s.runIds());
            db.runs().delete(ids.get(0));
            assertEquals(List.of(ids.get(2), ids.get(1)), db.suites().list().getFirst().runIds());
            assertTrue(db.suites().delete(suite));
            assertEquals(3 - 1, db.runs().list(RunFilter.all()).size(), "deleting a suite keeps its runs");
        }
    }

    @Test
    void datasetsAreKnownByContent() throws Exception {
        Path a = Files.writeString(dir.resolve("gpt2_data.json"), "[{\"input\": \"hi\", \"output_len\": 2, \"output_tokens\": 1}]");
        Path b = Files.copy(a, dir.resolve("renamed.json"));
        Path c = Files.writeString(dir.resolve("other.json"), "[]");
        try (Database db = Database.open(dir.resolve("db"))) {
            long first = db.datasets().register(a, "gpt2", "{\"rows\":1}");
            assertEquals(first, db.datasets().register(b, "gpt2 copy", "{\"rows\":1}"));
            long other = db.datasets().register(c, "empty", "{\"rows\":0}");
            assertTrue(other != first);
            assertEquals(List.of("gpt2", "empty"), db.datasets().list().stream().map(DatasetRepository.Dataset::name).toList());
            long run = db.runs().save(TestRuns.content(1));
            db.datasets().link(run, first);
            assertEquals(Optional.of(first), db.runs().require(run).datasetId());
        }
    }

    @Test
    void aRunningRunOfALiveProcessIsLeftAlone() throws InterruptedException {
        Path file = dir.resolve("db");
        try (Database db = Database.open(file); RunRecorder recorder = RunRecorder.open(db)) {
            recorder.on(new dev.schedbench.model.RunEvent.Started(TestRuns.info(Policy.FCFS), TestRuns.STARTED, 0));
            recorder.on(new dev.schedbench.model.RunEvent.RequestFinished(TestRuns.request(0, 3)));
            waitForCommittedRun(db);
            // Another window or command opening the database meanwhile must not cut this run short.
            try (Database other = Database.open(file)) {
                assertEquals(RunStatus.RUNNING, other.runs().list(RunFilter.all()).getFirst().status());
            }
        }
    }

    /**
     * Waits until the run's row is committed, as another connection sees it. The recorder's
     * {@code runIds()} is no such signal: it names the run as soon as its row is inserted, inside the
     * writer's transaction, before the commit.
     */
    private static void waitForCommittedRun(Database db) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (db.runs().list(RunFilter.all()).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the recorder committed no run within 20 s");
            Thread.sleep(5);
        }
    }

    private static List<Long> idsOf(List<RunListing> runs) {
        List<Long> ids = new ArrayList<>();
        runs.forEach(r -> ids.add(r.id()));
        return ids;
    }
}
