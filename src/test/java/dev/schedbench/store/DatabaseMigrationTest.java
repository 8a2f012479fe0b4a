package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.UserError;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseMigrationTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileBecomesACurrentDatabaseInWalModeWithEveryTable() throws Exception {
        Path file = dir.resolve("nested/ws/schedbench.db");
        try (Database db = Database.open(file)) {
            assertEquals(file.toAbsolutePath(), db.file());
            assertTrue(db.runs().list(RunFilter.all()).isEmpty());
        }
        assertEquals(Database.SCHEMA_VERSION, pragma(file, "user_version"));
        assertEquals("wal", pragmaText(file, "journal_mode"));
        assertEquals(List.of("datasets", "request_texts", "requests", "run_notes", "run_tags", "runs", "samples",
                "server_samples", "suite_runs", "suites"), tables(file));
    }

    @Test
    void anEmptyFileIsMigratedFromScratch() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.db"));
        try (Database db = Database.open(file)) {
            assertTrue(db.suites().list().isEmpty());
        }
        assertEquals(Database.SCHEMA_VERSION, pragma(file, "user_version"));
    }

    @Test
    void reopeningACurrentDatabaseChangesNothing() throws Exception {
        Path file = dir.resolve("again.db");
        Database.open(file).close();
        try (Database db = Database.open(file)) {
            assertEquals(0, db.runs().list(RunFilter.all()).size());
        }
        assertEquals(Database.SCHEMA_VERSION, pragma(file, "user_version"));
    }

    @Test
    void aVersionOneDatabaseIsUpgradedAndKeepsItsRuns() throws Exception {
        Path file = dir.resolve("v1.db");
        try (InputStream in = getClass().getResourceAsStream("/store/schema-v1.db")) {
            Files.copy(in, file);
        }
        assertEquals(1, pragma(file, "user_version"));

        try (Database db = Database.open(file)) {
            StoredRun run = db.runs().require(1);
            assertEquals(RunStatus.FINISHED, run.header().status());
            assertEquals(Policy.FCFS, run.header().policy().orElseThrow());
            assertEquals("fixture-host", run.header().host());
            assertEquals(List.of("completed", "ttfts"), run.header().result().keys());
            List<RequestRecord> requests = db.runs().requests(1);
            assertEquals(2, requests.size());
            assertArrayEquals(new long[] {1_000_000, 2_000_000}, requests.get(0).itlNanos());
            assertEquals("Hello there!", requests.get(0).generatedText());
            assertEquals("Internal Server Error", requests.get(1).error());
            assertEquals(1, db.runs().samples(1).size());

            // Version 2's tables work on the upgraded file.
            db.runs().tag(1, "baseline");
            db.runs().addNote(1, "from the fixture");
            long suite = db.suites().create("sweep", "{}", List.of(1L));
            assertEquals(List.of(1L), db.suites().list().getFirst().runIds());
            assertEquals(1, suite);
        }
        assertEquals(Database.SCHEMA_VERSION, pragma(file, "user_version"));
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedAndLeftByteIdentical() throws Exception {
        Path file = dir.resolve("newer.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, future_column TEXT)");
            st.execute("INSERT INTO runs VALUES (1, 'from the future')");
            st.execute("PRAGMA user_version = 99");
        }
        byte[] before = Files.readAllBytes(file);
        List<Path> siblingsBefore = siblings();

        UserError error = assertThrows(UserError.class, () -> Database.open(file));

        assertTrue(error.getMessage().contains(file.toAbsolutePath().toString()), error.getMessage());
        assertTrue(error.getMessage().contains("newer schedbench"), error.getMessage());
        assertTrue(error.getMessage().contains("schema version 99"), error.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(siblingsBefore, siblings(), "no -wal or -shm files appeared");
    }

    @Test
    void aFileThatIsNoDatabaseIsRefusedUntouched() throws Exception {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "these are my notes, not a database\n".repeat(10));
        byte[] before = Files.readAllBytes(file);

        UserError error = assertThrows(UserError.class, () -> Database.open(file));

        assertTrue(error.getMessage().contains("is not a SQLite database"), error.getMessage());
        assertTrue(error.getMessage().contains(file.toAbsolutePath().toString()), error.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void foreignKeysCascadeFromARunToItsRows() throws Exception {
        Path file = dir.resolve("fk.db");
        try (Database db = Database.open(file)) {
            long id = db.runs().save(TestRuns.content(3));
            db.runs().tag(id, "x");
            db.runs().addNote(id, "y");
            assertTrue(db.runs().delete(id));
            assertFalse(db.runs().delete(id));
        }
        for (String table : List.of("requests", "request_texts", "samples", "server_samples", "run_tags", "run_notes")) {
            assertEquals(0, count(file, table), table);
        }
        assertEquals(1, pragmaOnOpenConnection(file));
    }

    private int pragmaOnOpenConnection(Path file) throws Exception {
        try (Database db = Database.open(file); Connection c = db.newConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private List<Path> siblings() throws Exception {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    static int pragma(Path file, String name) throws Exception {
        return Integer.parseInt(pragmaText(file, name));
    }

    static String pragmaText(Path file, String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int count(Path file, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> tables(Path file) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
