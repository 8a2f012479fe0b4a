package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.store.Database;
import dev.schedbench.store.RunFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give one clear message naming the file, and the database is left exactly as it was. */
class BadImportTest {

    @TempDir
    Path dir;

    @Test
    void malformedJsonNamesTheFileAndThePlace() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"completed\": 3,\n \"ttfts\": [0.1, }");
        String message = rejected(file);
        assertTrue(message.startsWith(file + ": not valid JSON at line 2"), message);
    }

    @Test
    void anEmptyFileSaysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("empty_o.json"), "  \n");
        assertEquals(file + ": the file is empty; expected a result JSON file", rejected(file));
    }

    @Test
    void anUnknownFormatListsWhatIsExpected() throws Exception {
        Path object = Files.writeString(dir.resolve("config.json"), "{\"learning_rate\": 0.1}");
        String message = rejected(object);
        assertTrue(message.startsWith(object + ": not a result format schedbench knows"), message);
        assertTrue(message.contains("avg_latency"), message);

        Path array = Files.writeString(dir.resolve("queries.json"), "[\"hello\", \"world\"]");
        String arrayMessage = rejected(array);
        assertTrue(arrayMessage.contains("its top level is an array"), arrayMessage);
    }

    @Test
    void inconsistentPerRequestListsAreRefusedWhole() throws Exception {
        Path file = Files.writeString(dir.resolve("fcfs_o.json"),
                "{\"completed\": 2, \"duration\": 1.0, \"input_lens\": [1, 2, 3], \"ttfts\": [0.1, 0.2]}");
        String message = rejected(file);
        assertTrue(message.contains("per-request lists differ in length"), message);
        assertTrue(message.contains("\"input_lens\" has 3"), message);
    }

    @Test
    void aWrongValueDeepInsideIsNamedByItsPosition() throws Exception {
        Path file = Files.writeString(dir.resolve("fcfs_o.json"),
                "{\"completed\": 2, \"duration\": 1.0, \"ttfts\": [0.1, 0.2], \"itls\": [[0.01], [0.01, \"x\"]]}");
        assertEquals(file + ": itls[1][1] should be a number of seconds, found \"x\"", rejected(file));
    }

    @Test
    void aTruncatedRunExportLandsNothing() throws Exception {
        Path good = dir.resolve("good.json");
        try (Database db = Database.open(dir.resolve("src.db"))) {
            long id = db.runs().save(ImportExportTest.sampleRun());
            Files.writeString(good, FullJson.toJson(db.runs().content(id)));
        }
        String text = Files.readString(good);
        Path cut = Files.writeString(dir.resolve("cut.json"), text.replace("\"e2el_ns\":65000003,", ""));
        String message = rejected(cut);
        assertEquals(cut + ": field 'e2el_ns' is missing; the file is not a complete schedbench run export", message);
    }

    @Test
    void aBadFileAmongGoodOnesIsReportedAndTheOthersStillLand() throws Exception {
        Path dbFile = dir.resolve("db");
        Path bad = Files.writeString(dir.resolve("bad.json"), "not json");
        Path missing = dir.resolve("missing.json");
        try (Database db = Database.open(dbFile)) {
            List<RunImporter.Outcome> outcomes = RunImporter.importAll(db.runs(),
                    List.of(Golden.resource("vllm-infqps-gpt2-20241124-102000.json"), bad, missing));
            assertTrue(outcomes.get(0) instanceof RunImporter.Outcome.Done);
            assertTrue(((RunImporter.Outcome.Rejected) outcomes.get(1)).message().startsWith(bad + ": not valid JSON"));
            assertEquals(missing + ": no such file", ((RunImporter.Outcome.Rejected) outcomes.get(2)).message());
            assertEquals(1, db.runs().list(RunFilter.all()).size());
        }
    }

    /** Imports into a database with one run already, checks it is byte-identical afterwards, returns the message. */
    private String rejected(Path file) throws Exception {
        Path dbFile = dir.resolve("target-" + file.getFileName() + ".db");
        try (Database db = Database.open(dbFile)) {
            db.runs().save(ImportExportTest.sampleRun());
        }
        checkpoint(dbFile);
        byte[] before = Files.readAllBytes(dbFile);
        String message;
        try (Database db = Database.open(dbFile)) {
            ImportError error = assertThrows(ImportError.class, () -> RunImporter.importFile(db.runs(), file));
            message = error.getMessage();
            assertEquals(1, db.runs().list(RunFilter.all()).size());
        }
        checkpoint(dbFile);
        assertArrayEquals(before, Files.readAllBytes(dbFile), "database changed by a rejected import");
        return message;
    }

    /** Folds the write-ahead log into the main file, so that the file's bytes are the whole database. */
    private static void checkpoint(Path dbFile) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dbFile); var st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }
}
