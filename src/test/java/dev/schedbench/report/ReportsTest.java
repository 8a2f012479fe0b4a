package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunInfo;
import dev.schedbench.store.Database;
import dev.schedbench.store.RunRecorder;
import dev.schedbench.store.RunStatus;
import dev.schedbench.store.StoredRun;
import dev.schedbench.store.TestRuns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    @TempDir
    Path dir;

    /** Records a run as the serving benchmark would, stopping early (no Finished): requests and samples only. */
    private static long record(Database db, Policy policy, double rate, boolean finish) {
        try (RunRecorder recorder = RunRecorder.open(db)) {
            String spec = "{\"backend\":\"vllm\",\"model\":\"gpt2\",\"num_prompts\":120,\"request_rate\":" + rate
                    + ",\"burstiness\":1.0,\"max_concurrency\":null,\"percentile_metrics\":[\"ttft\",\"tpot\",\"itl\",\"e2el\"],"
                    + "\"metric_percentiles\":[50,99],\"goodput\":{},\"metadata\":{},\"priority\":\"oracle\"}";
            recorder.on(new RunEvent.Started(new RunInfo("serve", "sim", "gpt2", policy, spec, Optional.empty(), 120),
                    TestRuns.STARTED, 0));
            for (RequestRecord r : SyntheticRuns.requests(policy, rate, 120, (long) rate)) {
                recorder.on(new RunEvent.RequestFinished(r));
            }
            SyntheticRuns.samples(rate, 10).forEach(recorder::on);
            SyntheticRuns.serverSamples(rate, 10).forEach(recorder::on);
            if (finish) {
                recorder.on(new RunEvent.Failed("server stopped", false));
            }
            recorder.close();
            return recorder.runIds().getFirst();
        }
    }

    @Test
    void anUnfinishedRunStillExportsAVllmDocumentComputedFromItsRequests() throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            long id = record(db, Policy.PRIORITY, 10, false);
            StoredRun run = db.runs().require(id);
            assertEquals(RunStatus.INTERRUPTED, run.header().status());
            assertTrue(run.header().result().summaryJson().isEmpty());

            JsonNode doc = ReportJson.MAPPER.readTree(VllmJson.toJson(run, db.runs().requests(id)));
            List<String> keys = ImportExportTest.names(doc);
            assertEquals(List.of("date", "backend", "model_id", "tokenizer_id", "best_of", "num_prompts", "request_rate",
                    "burstiness", "max_concurrency", "duration", "completed"), keys.subList(0, 11));
            assertTrue(keys.containsAll(List.of("p50_e2el_ms", "p99_ttft_ms", "mean_itl_ms", "e2els", "itls")), keys.toString());
            assertEquals(120, doc.get("input_lens").size());
            assertEquals(120 - 120 / 50, doc.get("completed").asInt());
            assertEquals(10.0, doc.get("request_rate").asDouble());
        }
    }

    @Test
    void theHtmlReportOfASweepHoldsItsTablesAndEveryChartWithData() throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            List<Long> ids = new ArrayList<>();
            for (Policy p : List.of(Policy.FCFS, Policy.PRIORITY)) {
                for (double rate : List.of(5.0, 15.0)) {
                    ids.add(record(db, p, rate, true));
                }
            }
            db.runs().addNote(ids.getFirst(), "baseline <b>not bold</b>");
            String html = HtmlReport.render(db.runs(), ids);

            assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html.substring(0, 40));
            assertTrue(html.contains("<title>Schedbench runs 1, 2, 3, 4</title>"));
            assertTrue(html.contains("<table class=\"runs\">"));
            assertTrue(html.contains("<table class=\"figures\">"));
            assertTrue(html.contains("<th>mean_ttft_ms</th>"), "figures computed from requests of failed runs");
            assertTrue(html.contains("<table class=\"classes\">"));
            assertTrue(html.contains("<td>fcfs @ 5 req/s</td><td>0</td>"), "per-class rows labelled by run");
            assertTrue(html.contains("baseline &lt;b&gt;not bold&lt;/b&gt;"), "text is escaped");
            assertFalse(html.contains("<script") || html.contains("http://") || html.contains("https://"));

            Matcher images = Pattern.compile("<figure id=\"([a-z0-9-]+)\"><img [^>]*src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
            List<String> charts = new ArrayList<>();
            while (images.find()) {
                charts.add(images.group(1));
                var image = ImageIO.read(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(images.group(2))));
                assertEquals(HtmlReport.CHART_WIDTH, image.getWidth());
                assertEquals(HtmlReport.CHART_HEIGHT, image.getHeight());
            }
            assertEquals(java.util.Arrays.stream(ChartKind.values()).map(ChartKind::cliName).toList(), charts);
        }
    }

    @Test
    void aRunWithoutRequestsGivesAReportThatSaysSo() throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            long id = RunImporter.importFile(db.runs(), dev.schedbench.testsupport.SeedData.file("gpt2/512/fcfs_tp.json")).runId();
            String html = HtmlReport.render(db.runs(), List.of(id));
            assertTrue(html.contains("<th>tokens_per_second</th>"), "the throughput figures");
            assertTrue(html.contains("hold no per-request data"));
            assertFalse(html.contains("<img"));
        }
    }

    @Test
    void comparisonRelativeDifferencesAreAgainstTheFirstRun() {
        assertEquals("+25.0%", Tables.relative(125, 100));
        assertEquals("-50.0%", Tables.relative(50, 100));
        assertEquals("", Tables.relative(5, 0));
        assertEquals("12", Tables.number(12.0));
        assertEquals("0.001235", Tables.number(0.0012345));
        assertEquals("3.142", Tables.number(Math.PI));
    }
}
