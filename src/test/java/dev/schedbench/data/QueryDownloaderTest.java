package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryDownloaderTest {

    static final String DATASET = "lmsys/chatbot_arena_conversations";
    static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(80), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    static List<String> fixtureQueries() throws IOException {
        try (InputStream in = QueryDownloaderTest.class.getResourceAsStream("/data/arena-queries.json")) {
            return ArenaRows.JSON.readValue(in, new TypeReference<List<String>>() { });
        }
    }

    static String golden(String name) throws IOException {
        try (InputStream in = QueryDownloaderTest.class.getResourceAsStream("/golden/data/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    QueryDownloader downloader(FakeDatasetsServer server, Optional<HfToken> token, RetryPolicy retry) {
        DatasetsServerClient client = new DatasetsServerClient(DatasetsServerClient.newHttpClient(), server.url(), token,
                retry, waits::add);
        return new QueryDownloader(client, events::add);
    }

    QueryDownloader.Request request(Path out, OptionalLong limit, PythonJson.Escaping escaping) {
        return new QueryDownloader.Request(DATASET, Optional.empty(), "train", limit, out, escaping);
    }

    static Optional<HfToken> accepted() {
        return Optional.of(new HfToken(FakeDatasetsServer.ACCEPTED_TOKEN, "environment variable HF_TOKEN"));
    }

    static List<String> read(Path file) throws IOException {
        return ArenaRows.JSON.readValue(file.toFile(), new TypeReference<List<String>>() { });
    }

    static List<String> expectedNumbered(int n, List<String> questions) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(questions.get(i % questions.size()) + " #" + i);
        }
        return out;
    }

    @Test
    void keepsFirstUserTurnOfEveryRowInOrderAcrossPagesOfAtMostHundred() throws IOException {
        List<String> questions = fixtureQueries();
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(250, questions), true)) {
            Path out = dir.resolve("q.json");
            QueryDownloader.Report report = downloader(server, accepted(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));

            assertEquals(expectedNumbered(250, questions), read(out));
            assertEquals(250, report.queries());
            assertEquals(250, report.rowsRead());
            assertTrue(report.skipped().isEmpty());
            assertTrue(report.resumedAtRow().isEmpty());
            List<FakeDatasetsServer.Seen> pages = server.requests("/rows");
            assertEquals(List.of("0", "100", "200"), pages.stream().map(s -> s.query().get("offset")).toList());
            assertEquals(List.of("100", "100", "50"), pages.stream().map(s -> s.query().get("length")).toList());
            assertTrue(pages.stream().allMatch(s -> s.query().get("config").equals("default") && s.query().get("split").equals("train")));
            assertFalse(Files.exists(QueryPartialFile.pathFor(out)), "the progress file is removed once done");
            RunEvent.Progress last = (RunEvent.Progress) events.stream().filter(e -> e instanceof RunEvent.Progress).reduce((a, b) -> b).orElseThrow();
            assertEquals(250, last.done());
            assertEquals(250, last.total());
            assertEquals("rows", last.unit());
        }
    }

    @Test
    void tokenTravelsAsBearerHeaderOnEveryRequest() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(5, List.of("q")), true)) {
            downloader(server, accepted(), FAST).download(request(dir.resolve("q.json"), OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertFalse(server.requests().isEmpty());
            assertTrue(server.requests().stream()
                    .allMatch(s -> s.authorization().equals(Optional.of("Bearer " + FakeDatasetsServer.ACCEPTED_TOKEN))));
            assertFalse(HfTokenTest.anyMention(events, FakeDatasetsServer.ACCEPTED_TOKEN));
        }
    }

    /** Golden files were written by Python's json.dump(queries, f, indent=4) with and without ensure_ascii. */
    @Test
    void writesLikePythonJsonDumpInBothEscapings() throws IOException {
        List<ObjectNode> rows = new ArrayList<>();
        List<String> questions = fixtureQueries();
        for (int i = 0; i < questions.size(); i++) {
            rows.add(ArenaRows.row(i, questions.get(i)));
        }
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, rows, false)) {
            Path utf8 = dir.resolve("utf8.json");
            Path ascii = dir.resolve("ascii.json");
            downloader(server, Optional.empty(), FAST).download(request(utf8, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            downloader(server, Optional.empty(), FAST).download(request(ascii, OptionalLong.empty(), PythonJson.Escaping.ASCII));
            assertEquals(golden("queries-utf8.json"), Files.readString(utf8, StandardCharsets.UTF_8));
            assertEquals(golden("queries-ascii.json"), Files.readString(ascii, StandardCharsets.UTF_8));
        }
    }

    @Test
    void rowsWithoutAUserFirstTurnAreCountedAndReportedNotWritten() throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode assistantFirst = f.arrayNode();
        ArenaRows.turn(assistantFirst, "assistant", "Hello! How can I help?");
        ArenaRows.turn(assistantFirst, "user", "never mind");
        ArrayNode nullContent = f.arrayNode();
        nullContent.addObject().putNull("content").put("role", "user");
        List<ObjectNode> rows = List.of(
                ArenaRows.row(0, "first"),
                ArenaRows.row(1, f.arrayNode()),
                ArenaRows.row(2, assistantFirst),
                ArenaRows.row(3, nullContent),
                ArenaRows.row(4, f.nullNode()),
                ArenaRows.row(5, "last"));
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, rows, false)) {
            Path out = dir.resolve("q.json");
            QueryDownloader.Report report = downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(List.of("first", "last"), read(out));
            assertEquals(6, report.rowsRead());
            assertEquals(List.of(
                    new QueryDownloader.SkippedRow(1, "conversation_a has no turns"),
                    new QueryDownloader.SkippedRow(2, "the first turn is by 'assistant', not the user"),
                    new QueryDownloader.SkippedRow(3, "the first turn's content is not text"),
                    new QueryDownloader.SkippedRow(4, "conversation_a is null")), report.skipped());
        }
    }

    @Test
    void gatedDatasetWithoutTokenSaysSoAndWhereToAccept() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(5, List.of("q")), true)) {
            UserError e = assertThrows(UserError.class,
                    () -> downloader(server, Optional.empty(), FAST).download(request(dir.resolve("q.json"), OptionalLong.empty(), PythonJson.Escaping.UTF8)));
            assertTrue(e.getMessage().contains("is gated"), e.getMessage());
            assertTrue(e.getMessage().contains("no Hugging Face token was found"), e.getMessage());
            assertTrue(e.getMessage().contains("https://huggingface.co/datasets/" + DATASET), e.getMessage());
            assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
            assertTrue(waits.isEmpty(), "an auth failure is not retried");
        }
    }

    @Test
    void tokenWhoseOwnerHasNotAcceptedTheConditionsSaysSoWithoutShowingTheToken() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(5, List.of("q")), true)) {
            Optional<HfToken> token = Optional.of(new HfToken(FakeDatasetsServer.UNACCEPTED_TOKEN, "environment variable HF_TOKEN"));
            UserError e = assertThrows(UserError.class,
                    () -> downloader(server, token, FAST).download(request(dir.resolve("q.json"), OptionalLong.empty(), PythonJson.Escaping.UTF8)));
            assertTrue(e.getMessage().contains("has not accepted the dataset's conditions"), e.getMessage());
            assertTrue(e.getMessage().contains("https://huggingface.co/datasets/" + DATASET), e.getMessage());
            assertTrue(e.getMessage().contains("environment variable HF_TOKEN"), e.getMessage());
            assertFalse(e.getMessage().contains(FakeDatasetsServer.UNACCEPTED_TOKEN));
        }
    }

    @Test
    void aMisspelledDatasetWithoutTokenSaysItMayNotExist() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(5, List.of("q")), false)) {
            QueryDownloader.Request req = new QueryDownloader.Request("lmsys/chatbot_arena_conversation", Optional.empty(), "train",
                    OptionalLong.empty(), dir.resolve("q.json"), PythonJson.Escaping.UTF8);
            UserError e = assertThrows(UserError.class, () -> downloader(server, Optional.empty(), FAST).download(req));
            assertTrue(e.getMessage().startsWith("dataset lmsys/chatbot_arena_conversation is gated (or does not exist)"), e.getMessage());
        }
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterSays() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(150, List.of("q")), false)) {
            server.failRowsAt(100, FakeDatasetsServer.retryAfter(429, "7"));
            Path out = dir.resolve("q.json");
            downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(List.of(Duration.ofSeconds(7)), waits);
            assertEquals(150, read(out).size());
        }
    }

    @Test
    void serverErrorsBackOffExponentiallyThenSucceed() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(120, List.of("q")), false)) {
            server.failNext("/rows", FakeDatasetsServer.status(503), FakeDatasetsServer.status(500), FakeDatasetsServer.status(502));
            Path out = dir.resolve("q.json");
            downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), waits);
            assertEquals(expectedNumbered(120, List.of("q")), read(out));
        }
    }

    @Test
    void connectionCutMidPageIsRetried() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(230, List.of("q")), false)) {
            server.failRowsAt(100, FakeDatasetsServer.cut());
            Path out = dir.resolve("q.json");
            downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(expectedNumbered(230, List.of("q")), read(out));
            assertEquals(1, waits.size());
            assertEquals(2, server.requests("/rows").stream().filter(s -> s.query().get("offset").equals("100")).count());
        }
    }

    @Test
    void givesUpAfterBoundedAttemptsKeepingWhatItHas() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(250, List.of("q")), false)) {
            server.failRowsAt(200, FakeDatasetsServer.status(503), FakeDatasetsServer.status(503),
                    FakeDatasetsServer.status(503), FakeDatasetsServer.status(503));
            Path out = dir.resolve("q.json");
            UserError e = assertThrows(UserError.class,
                    () -> downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8)));
            assertTrue(e.getMessage().contains("kept failing on /rows after 4 attempts: HTTP 503"), e.getMessage());
            assertTrue(e.getMessage().contains("resumes where it stopped"), e.getMessage());
            assertEquals(3, waits.size());
            assertFalse(Files.exists(out));
            assertEquals(200, QueryPartialFile.read(QueryPartialFile.pathFor(out)).orElseThrow().lines().size());
        }
    }

    @Test
    void anInterruptedDownloadResumesWhereItStopped() throws IOException {
        List<String> questions = fixtureQueries();
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(330, questions), true)) {
            server.failRowsAt(200, FakeDatasetsServer.cut(), FakeDatasetsServer.cut());
            Path out = dir.resolve("data").resolve("chatbot_queries.json");
            RetryPolicy once = FAST.withMaxAttempts(2);
            assertThrows(UserError.class, () -> downloader(server, accepted(), once).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8)));
            int before = server.requests("/rows").size();

            QueryDownloader.Report report = downloader(server, accepted(), once).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));

            assertEquals(OptionalLong.of(200), report.resumedAtRow());
            List<String> offsets = server.requests("/rows").subList(before, server.requests("/rows").size()).stream()
                    .map(s -> s.query().get("offset")).toList();
            assertEquals(List.of("200", "300"), offsets);
            assertEquals(expectedNumbered(330, questions), read(out));
            assertTrue(events.stream().anyMatch(ev -> ev instanceof RunEvent.Log l && l.line().startsWith("resuming at row 200")));
        }
    }

    @Test
    void aHalfWrittenProgressLineIsDroppedOnResume() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(150, List.of("q")), false)) {
            Path out = dir.resolve("q.json");
            server.failRowsAt(100, FakeDatasetsServer.status(503));
            assertThrows(UserError.class, () -> downloader(server, Optional.empty(), FAST.withMaxAttempts(1))
                    .download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8)));
            Files.writeString(QueryPartialFile.pathFor(out), "{\"row_idx\":100,\"que", StandardOpenOption.APPEND);

            QueryDownloader.Report report = downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(OptionalLong.of(100), report.resumedAtRow());
            assertEquals(expectedNumbered(150, List.of("q")), read(out));
        }
    }

    @Test
    void progressOfAnotherDatasetIsNotContinued() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(20, List.of("q")), false)) {
            Path out = dir.resolve("q.json");
            Path partial = QueryPartialFile.pathFor(out);
            Files.writeString(partial, "{\"format\":\"schedbench-queries-partial/1\",\"dataset\":\"someone/else\",\"config\":\"default\",\"split\":\"train\"}\n"
                    + "{\"row_idx\":0,\"query\":\"from another dataset\"}\n");
            QueryDownloader.Report report = downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertTrue(report.resumedAtRow().isEmpty());
            assertEquals(expectedNumbered(20, List.of("q")), read(out));
            assertTrue(events.stream().anyMatch(ev -> ev instanceof RunEvent.Log l && l.line().contains("starting over")));
        }
    }

    @Test
    void limitReadsOnlyTheFirstRows() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(400, List.of("q")), false)) {
            Path out = dir.resolve("q.json");
            QueryDownloader.Report report = downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.of(150), PythonJson.Escaping.UTF8));
            assertEquals(expectedNumbered(150, List.of("q")), read(out));
            assertEquals(150, report.rowsRead());
            assertEquals(List.of("100", "50"), server.requests("/rows").stream().map(s -> s.query().get("length")).toList());
        }
    }

    @Test
    void aCellTheServerTruncatedIsFetchedAlone() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(30, List.of("q")), false)) {
            server.truncateInPages(7);
            Path out = dir.resolve("q.json");
            downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(expectedNumbered(30, List.of("q")), read(out));
            assertTrue(server.requests("/rows").stream().anyMatch(s -> s.query().get("offset").equals("7") && s.query().get("length").equals("1")));
        }
    }

    @Test
    void unknownSizeFallsBackToThePagesRowCount() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(130, List.of("q")), false)) {
            server.forgetSize();
            Path out = dir.resolve("q.json");
            downloader(server, Optional.empty(), FAST).download(request(out, OptionalLong.empty(), PythonJson.Escaping.UTF8));
            assertEquals(130, read(out).size());
        }
    }

    @Test
    void aMissingSplitListsTheOnesThereAre() throws IOException {
        try (FakeDatasetsServer server = new FakeDatasetsServer(DATASET, ArenaRows.numbered(3, List.of("q")), false)) {
            QueryDownloader.Request req = new QueryDownloader.Request(DATASET, Optional.empty(), "test", OptionalLong.empty(),
                    dir.resolve("q.json"), PythonJson.Escaping.UTF8);
            UserError e = assertThrows(UserError.class, () -> downloader(server, Optional.empty(), FAST).download(req));
            assertTrue(e.getMessage().contains("has no split 'test'; it has (config/split): default/train"), e.getMessage());
        }
    }
}
