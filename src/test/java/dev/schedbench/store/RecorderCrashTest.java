package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.RequestRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording process killed with SIGKILL leaves a valid database whose run is found interrupted. */
class RecorderCrashTest {

    private static final int COMMITTED_BEFORE_KILL = 200;

    @TempDir
    Path dir;

    @Test
    void aKilledRecorderLeavesAnInterruptedRunWithEveryCommittedRequest() throws Exception {
        Path file = dir.resolve("schedbench.db");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), RecordingChild.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long runId;
        int seenBeforeKill;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("started "), "child said: " + line);
            runId = Long.parseLong(line.substring("started ".length()));
            seenBeforeKill = waitForCommittedRequests(file, runId);
            assertEquals("running", status(file, runId));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        try (Database db = Database.open(file)) {
            StoredRun run = db.runs().require(runId);
            assertEquals(RunStatus.INTERRUPTED, run.header().status());
            assertTrue(run.header().message().contains("pid " + child.pid()), run.header().message());
            assertTrue(run.header().finishedAt().isPresent());
            List<RequestRecord> requests = db.runs().requests(runId);
            assertTrue(requests.size() >= seenBeforeKill, requests.size() + " < " + seenBeforeKill);
            for (int i = 0; i < requests.size(); i++) {
                assertEquals(TestRuns.request(i, 50), requests.get(i), "request " + i);
            }
            assertTrue(!db.runs().samples(runId).isEmpty());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
    }

    private static int waitForCommittedRequests(Path file, long runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int n = query(file, "SELECT COUNT(*) FROM requests WHERE run_id = " + runId);
            if (n >= COMMITTED_BEFORE_KILL) {
                return n;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child committed fewer than " + COMMITTED_BEFORE_KILL + " requests in 60 s");
    }

    private static String status(Path file, long runId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT status FROM runs WHERE id = " + runId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int query(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
