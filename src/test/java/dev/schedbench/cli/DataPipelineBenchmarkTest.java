package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.data.ArenaRow;
import dev.schedbench.data.ArenaRows;
import dev.schedbench.data.DatasetReader;
import dev.schedbench.data.DatasetsServerClient;
import dev.schedbench.data.FakeDatasetsServer;
import dev.schedbench.data.FirstTurn;
import dev.schedbench.data.PythonJson;
import dev.schedbench.data.QueryDownloader;
import dev.schedbench.data.RetryPolicy;
import dev.schedbench.data.RowsPage;
import dev.schedbench.data.RowsPageParser;
import dev.schedbench.model.RunListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speed of the data pipeline (docs/benchmarks.md, "Data pipeline"). Run with
 * {@code mvn -o test -Dtest=DataPipelineBenchmarkTest -Dtest.excludedGroups=}; figures go to stdout.
 */
@Tag("benchmark")
class DataPipelineBenchmarkTest {

    static final int ROWS = 33_000;
    static final int PAGE = 100;

    @TempDir
    Path dir;

    /** A row of the real dataset's size (~2.5 KB: two conversations with answers, moderation scores). */
    static ObjectNode realisticRow(int i) {
        String question = "Question " + i + ": how would you explain the difference between processes and threads "
                + "to someone new to programming, with an example? ünïcödé 日本 " + "detail ".repeat(i % 13);
        ArrayNode a = ArenaRows.dialogue(question);
        ObjectNode row = ArenaRows.row(i, a);
        ((ObjectNode) a.get(1)).put("content", "A long answer. ".repeat(40 + i % 30));
        ((ObjectNode) row.get("conversation_b").get(1)).put("content", "Another long answer. ".repeat(30 + i % 20));
        return row;
    }

    static List<byte[]> pages() {
        List<byte[]> pages = new ArrayList<>(ROWS / PAGE);
        for (int offset = 0; offset < ROWS; offset += PAGE) {
            List<ObjectNode> rows = new ArrayList<>(PAGE);
            for (int i = offset; i < offset + PAGE; i++) {
                rows.add(realisticRow(i));
            }
            pages.add(ArenaRows.page(rows, offset, ROWS, Set.of()).toString().getBytes(StandardCharsets.UTF_8));
        }
        return pages;
    }

    @Test
    void parsingAndCleaning33000Rows() throws Exception {
        List<byte[]> pages = pages();
        long bytes = pages.stream().mapToLong(p -> p.length).sum();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            List<String> queries = new ArrayList<>(ROWS);
            for (byte[] page : pages) {
                RowsPage parsed = RowsPageParser.parse(page);
                for (ArenaRow row : parsed.rows()) {
                    if (row.firstTurn() instanceof FirstTurn.UserText t) {
                        queries.add(t.text());
                    }
                }
            }
            Path out = dir.resolve("chatbot_queries.json");
            PythonJson.with(PythonJson.Escaping.ASCII).writeFile(queries, out);
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, seconds);
            assertEquals(ROWS, queries.size());
            System.out.printf(Locale.ROOT, "data-pipeline parse+clean+write: %d rows, %.1f MB of /rows pages, round %d: %.3f s%n",
                    ROWS, bytes / 1e6, round + 1, seconds);
        }
        System.out.printf(Locale.ROOT, "data-pipeline parse+clean+write: best %.3f s (%.0f rows/s, %.0f MB/s)%n",
                best, ROWS / best, bytes / 1e6 / best);
    }

    @Test
    void downloading33000RowsFromALoopbackServer() throws Exception {
        List<ObjectNode> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            rows.add(realisticRow(i));
        }
        try (FakeDatasetsServer server = new FakeDatasetsServer("lmsys/chatbot_arena_conversations", rows, false)) {
            for (int round = 0; round < 2; round++) {
                Path out = dir.resolve("round" + round + ".json");
                DatasetsServerClient client = new DatasetsServerClient(DatasetsServerClient.newHttpClient(), server.url(),
                        Optional.empty(), RetryPolicy.DEFAULT, d -> { });
                long t0 = System.nanoTime();
                QueryDownloader.Report report = new QueryDownloader(client, RunListener.NONE).download(new QueryDownloader.Request(
                        "lmsys/chatbot_arena_conversations", Optional.empty(), "train", OptionalLong.empty(), out, PythonJson.Escaping.UTF8));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(ROWS, report.queries());
                System.out.printf(Locale.ROOT, "data-pipeline download-queries end to end (330 pages over loopback HTTP, server "
                        + "building pages too): round %d: %.3f s%n", round + 1, seconds);
            }
        }
    }

    @Test
    void creatingA1000PromptDatasetAgainstTheSimulator() throws Exception {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            prompts.add("Prompt " + i + ": tell me something about the number " + i + (i % 3 == 0 ? " and its history." : "."));
        }
        Path queries = dir.resolve("queries.json");
        Files.writeString(queries, PythonJson.with(PythonJson.Escaping.UTF8).toJson(prompts));
        for (int round = 0; round < 3; round++) {
            Path out = dir.resolve("gpt2_" + round + "_data.json");
            long t0 = System.nanoTime();
            CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "create-dataset", "--engine", "sim", "--model", "gpt2",
                    "--queries", queries.toString(), "--num-queries", "1000", "--out", out.toString(), "--workspace", dir.toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, o.exitCode(), o.all());
            assertEquals(1000, DatasetReader.read(out).size());
            System.out.printf(Locale.ROOT, "data-pipeline create-dataset --engine sim, 1000 prompts, output-len 256, "
                    + "concurrency 256 (simulator start included): round %d: %.3f s%n", round + 1, seconds);
        }
    }
}
