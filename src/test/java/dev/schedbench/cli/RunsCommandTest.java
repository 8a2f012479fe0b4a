package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.store.Database;
import dev.schedbench.store.RunFilter;
import dev.schedbench.testsupport.SeedData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code runs} commands in-process against a real database in a temporary workspace. */
class RunsCommandTest {

    @TempDir
    Path ws;

    private Path serving;

    @BeforeEach
    void serving() {
        serving = Path.of("src", "test", "resources", "report", "priority_round_robin_o.json").toAbsolutePath();
    }

    private CliHarness.Outcome runs(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "runs";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--workspace";
        all[args.length + 2] = ws.toString();
        return CliHarness.run(all);
    }

    private void importSeedGpt2AndServing() {
        CliHarness.Outcome o = runs("import", SeedData.file("gpt2/512/fcfs_l.json").toString(),
                SeedData.file("gpt2/512/priority_tp.json").toString(), serving.toString());
        assertEquals(0, o.exitCode(), o.err());
    }

    @Test
    void importReportsEachFileAndListShowsTheRuns() {
        CliHarness.Outcome imported = runs("import", SeedData.file("gpt2/512/fcfs_l.json").toString(),
                SeedData.file("facebook_opt-125m/512/priority_round_robin_tp.json").toString(), serving.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("fcfs_l.json as run 1 (latency, gpt2, fcfs, 0 requests)"), imported.out());
        assertTrue(imported.out().contains("as run 2 (throughput, facebook/opt-125m, priority-round-robin, 0 requests)"),
                imported.out());
        assertTrue(imported.out().contains("as run 3 (serve, gpt2, priority-round-robin, 4 requests)"), imported.out());

        CliHarness.Outcome list = runs("list");
        assertEquals(0, list.exitCode(), list.err());
        String[] lines = list.out().split("\n");
        assertTrue(lines[0].matches("ID +STATUS +KIND +ENGINE +MODEL +POLICY +STARTED"), lines[0]);
        assertTrue(lines[1].matches("1 +finished +latency\\* +vllm +gpt2 +fcfs +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), lines[1]);
        assertTrue(lines[2].contains("facebook/opt-125m"), lines[2]);
        assertEquals("* imported from a file", lines[4]);

        CliHarness.Outcome filtered = runs("list", "--policy", "priority_round_robin", "--kind", "serve");
        assertEquals(3, filtered.out().split("\n").length, filtered.out());
        assertTrue(filtered.out().split("\n")[1].startsWith("3 "), filtered.out());
        assertEquals("no runs match\n", runs("list", "--status", "interrupted").err());
    }

    @Test
    void aBadFileAmongGoodOnesFailsAloneWithExitOne() throws Exception {
        Path bad = Files.writeString(ws.resolve("broken_o.json"), "{\"ttfts\": [0.1,");
        CliHarness.Outcome o = runs("import", bad.toString(), serving.toString());
        assertEquals(1, o.exitCode());
        assertTrue(o.err().startsWith("error: " + bad + ": not valid JSON at line 1"), o.err());
        assertTrue(o.err().contains("1 of 2 files not imported"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
        assertTrue(o.out().contains("as run 1 (serve"), o.out());
        try (Database db = Database.open(ws.resolve("schedbench.db"))) {
            assertEquals(1, db.runs().list(RunFilter.all()).size());
        }
    }

    @Test
    void showPrintsTheSpecAndTheSummary() {
        importSeedGpt2AndServing();
        CliHarness.Outcome o = runs("show", "1");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().startsWith("Run 1 (finished)\n  kind:      latency\n"), o.out());
        assertTrue(o.out().contains("  latencies:   (a list of 30 values)\n"), o.out());
        assertTrue(o.out().contains("  imported:  from fcfs_l.json\n"), o.out());
        assertTrue(o.out().contains("\"source_format\" : \"vllm-latency\""), o.out());
        assertTrue(o.out().contains("  avg_latency: 9.062\n"), o.out());

        CliHarness.Outcome missing = runs("show", "99");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().startsWith("error: no run with id 99 in "), missing.err());
    }

    @Test
    void compareShowsDifferencesToTheFirstRun() {
        runs("import", SeedData.file("gpt2/512/fcfs_tp.json").toString(), SeedData.file("gpt2/512/priority_round_robin_tp.json").toString());
        CliHarness.Outcome o = runs("compare", "1", "2");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("policy"), o.out());
        // 107.2336502119997 against 85.6271279409998: +25.2 %
        assertTrue(o.out().matches("(?s).*elapsed_time +85\\.627 +107\\.234 \\(\\+25\\.2%\\).*"), o.out());
        assertTrue(o.out().matches("(?s).*requests_per_second +11\\.679 +9\\.325 \\(-20\\.1%\\).*"), o.out());
        assertEquals(2, runs("compare", "1").exitCode(), "one run is not a comparison");
    }

    @Test
    void exportsWriteEveryFormat() throws Exception {
        importSeedGpt2AndServing();
        CliHarness.Outcome json = runs("export", "3", "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().startsWith("{\n  \"format\": \"schedbench-run\""), json.out());

        CliHarness.Outcome vllm = runs("export", "3", "--format", "vllm-json");
        assertEquals(Files.readString(serving).substring(0, 200), vllm.out().substring(0, 200));

        Path csv = ws.resolve("out/requests.csv");
        CliHarness.Outcome csvOut = runs("export", "3", "--format", "csv", "--out", csv.toString());
        assertEquals(0, csvOut.exitCode(), csvOut.err());
        assertEquals("wrote " + csv + "\n", csvOut.err());
        assertEquals(5, Files.readString(csv).split("\r\n").length);

        Path png = ws.resolve("ttft.png");
        CliHarness.Outcome pngOut = runs("export", "3", "1", "--format", "png", "--chart", "ttft-cdf", "--out",
                png.toString(), "--width", "500", "--height", "300");
        assertEquals(0, pngOut.exitCode(), pngOut.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(500, image.getWidth());
        assertEquals(300, image.getHeight());

        Path html = ws.resolve("report.html");
        CliHarness.Outcome htmlOut = runs("export", "3", "--format", "html", "--out", html.toString());
        assertEquals(0, htmlOut.exitCode(), htmlOut.err());
        String page = Files.readString(html);
        assertTrue(page.contains("<table class=\"runs\">"), "runs table");
        assertTrue(page.contains("<th>mean_ttft_ms</th>"), "figures table");
        assertTrue(page.contains("<img alt=\"Distribution of time to first token (CDF)\""), "chart");
        assertTrue(page.contains("src=\"data:image/png;base64,iVBORw0KGgo"), "embedded PNG");
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("<script"), "self-contained");
    }

    @Test
    void exportUsageMistakesAreUsageErrors() {
        importSeedGpt2AndServing();
        CliHarness.Outcome pdf = runs("export", "3", "--format", "pdf");
        assertEquals(2, pdf.exitCode());
        assertTrue(pdf.err().contains("unknown format 'pdf'; expected json, vllm-json, csv, png or html"), pdf.err());

        CliHarness.Outcome noChart = runs("export", "3", "--format", "png", "--out", ws.resolve("x.png").toString());
        assertEquals(2, noChart.exitCode());
        assertTrue(noChart.err().contains("--format png needs --chart NAME, one of: ttft-box,"), noChart.err());

        CliHarness.Outcome badChart = runs("export", "3", "--format", "png", "--chart", "pie", "--out", "x.png");
        assertEquals(2, badChart.exitCode());
        assertTrue(badChart.err().contains("unknown chart 'pie'"), badChart.err());

        CliHarness.Outcome twoJson = runs("export", "1", "3", "--format", "json");
        assertEquals(2, twoJson.exitCode());
        assertTrue(twoJson.err().contains("--format json exports one run; got 2"), twoJson.err());

        CliHarness.Outcome latencyAsVllm = runs("export", "1", "--format", "vllm-json");
        assertEquals(0, latencyAsVllm.exitCode(), "the seed's latency document is exported as stored");
        assertTrue(latencyAsVllm.out().startsWith("{\"avg_latency\": 9.06186936983332, \"latencies\": ["), latencyAsVllm.out());
    }

    @Test
    void tagsNotesAndDeletes() {
        importSeedGpt2AndServing();
        assertEquals("run 3: tagged baseline\n", runs("tag", "3", "baseline").out());
        assertEquals(3, runs("list", "--tag", "baseline").out().split("\n").length);
        assertEquals("run 3: note added\n", runs("note", "3", "warm", "cache").out());
        assertTrue(runs("show", "3").out().contains("  warm cache\n"));
        assertEquals("run 3: removed tag baseline\n", runs("tag", "3", "baseline", "--remove").out());
        assertEquals("no runs match\n", runs("list", "--tag", "baseline").err());

        CliHarness.Outcome deleted = runs("delete", "1", "42", "2");
        assertEquals(1, deleted.exitCode());
        assertEquals("deleted run 1\ndeleted run 2\n", deleted.out());
        assertTrue(deleted.err().startsWith("error: no run with id 42 in "), deleted.err());
        assertEquals(3, runs("list").out().split("\n").length);
    }

    @Test
    void aDatabaseFromANewerSchedbenchIsRefusedUntouched() throws Exception {
        Path db = ws.resolve("schedbench.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE future (x)");
            st.execute("PRAGMA user_version = 7");
        }
        byte[] before = Files.readAllBytes(db);
        CliHarness.Outcome o = runs("list");
        assertEquals(1, o.exitCode());
        assertTrue(o.err().startsWith("error: the run database " + db + " was written by a newer schedbench"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
        assertArrayEquals(before, Files.readAllBytes(db));
    }

    @Test
    void helpListsTheSubcommandsButNotTheBenchmark() {
        CliHarness.Outcome o = runs("--help");
        assertEquals(0, o.exitCode());
        for (String sub : new String[] {"list", "show", "compare", "export", "import", "delete", "tag", "note"}) {
            assertTrue(o.out().contains("  " + sub + " "), sub + " in " + o.out());
        }
        assertFalse(o.out().contains("perf"), o.out());
    }
}
