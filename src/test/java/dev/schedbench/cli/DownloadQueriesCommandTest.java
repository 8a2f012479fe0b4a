package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.data.ArenaRows;
import dev.schedbench.data.FakeDatasetsServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.schedbench.data.HfToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadQueriesCommandTest {

    @TempDir
    Path dir;

    static String golden(String name) throws IOException {
        try (InputStream in = DownloadQueriesCommandTest.class.getResourceAsStream("/golden/data/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static FakeDatasetsServer gatedFixture() throws IOException {
        List<String> questions;
        try (InputStream in = DownloadQueriesCommandTest.class.getResourceAsStream("/data/arena-queries.json")) {
            questions = ArenaRows.JSON.readValue(in, new TypeReference<List<String>>() { });
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            rows.add(ArenaRows.row(i, questions.get(i)));
        }
        return new FakeDatasetsServer("lmsys/chatbot_arena_conversations", rows, true);
    }

    @Test
    void downloadsIntoTheWorkspaceWithProgressOnStderrAndNeverPrintsTheToken() throws Exception {
        try (FakeDatasetsServer server = gatedFixture()) {
            Path ws = dir.resolve("ws");
            CliHarness.Outcome o = CliHarness.run(Map.of("HF_TOKEN", FakeDatasetsServer.ACCEPTED_TOKEN), dir,
                    "download-queries", "--workspace", ws.toString(), "--datasets-server-url", server.url().toString(), "--ascii");
            assertEquals(0, o.exitCode(), o.all());
            Path out = ws.resolve("data").resolve("chatbot_queries.json");
            assertEquals(golden("queries-ascii.json"), Files.readString(out));
            assertTrue(o.out().contains("wrote 8 queries from 8 rows to " + out), o.out());
            assertTrue(o.err().contains("download-queries [##############################] 8/8 rows 100%"), o.err());
            assertFalse(o.all().contains(FakeDatasetsServer.ACCEPTED_TOKEN));
            assertTrue(server.requests().stream().allMatch(r -> r.authorization().orElseThrow().equals("Bearer " + FakeDatasetsServer.ACCEPTED_TOKEN)));
        }
    }

    @Test
    void tokenFromTheWorkspaceFileAndANamedVariable() throws Exception {
        try (FakeDatasetsServer server = gatedFixture()) {
            Path ws = dir.resolve("ws");
            HfToken.saveToWorkspace(ws, FakeDatasetsServer.ACCEPTED_TOKEN);
            Path out = dir.resolve("out.json");
            CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "download-queries", "--workspace", ws.toString(),
                    "--datasets-server-url", server.url().toString(), "--out", out.toString());
            assertEquals(0, o.exitCode(), o.all());
            assertEquals(golden("queries-utf8.json"), Files.readString(out, StandardCharsets.UTF_8));
            assertFalse(o.all().contains(FakeDatasetsServer.ACCEPTED_TOKEN));

            Path empty = dir.resolve("empty-ws");
            CliHarness.Outcome named = CliHarness.run(Map.of("ARENA_TOKEN", FakeDatasetsServer.ACCEPTED_TOKEN), dir, "download-queries",
                    "--workspace", empty.toString(), "--token-env", "ARENA_TOKEN", "--limit", "3",
                    "--datasets-server-url", server.url().toString());
            assertEquals(0, named.exitCode(), named.all());
            assertTrue(named.out().contains("wrote 3 queries from 3 rows"), named.out());
        }
    }

    @Test
    void unacceptedConditionsIsOneClearErrorWithoutTheToken() throws Exception {
        try (FakeDatasetsServer server = gatedFixture()) {
            CliHarness.Outcome o = CliHarness.run(Map.of("HF_TOKEN", FakeDatasetsServer.UNACCEPTED_TOKEN), dir,
                    "download-queries", "--workspace", dir.resolve("ws").toString(), "--datasets-server-url", server.url().toString());
            assertEquals(1, o.exitCode());
            assertTrue(o.err().startsWith("error: the Hugging Face token from environment variable HF_TOKEN cannot read dataset "
                    + "lmsys/chatbot_arena_conversations: the token's owner has not accepted"), o.err());
            assertTrue(o.err().contains("https://huggingface.co/datasets/lmsys/chatbot_arena_conversations"), o.err());
            assertFalse(o.all().contains(FakeDatasetsServer.UNACCEPTED_TOKEN));
            assertFalse(o.err().contains("Exception"), o.err());
        }
    }

    @Test
    void noTokenAtAllIsOneClearError() throws Exception {
        try (FakeDatasetsServer server = gatedFixture()) {
            CliHarness.Outcome o = CliHarness.run(Map.of(), dir.resolve("home"),
                    "download-queries", "--workspace", dir.resolve("ws").toString(), "--datasets-server-url", server.url().toString());
            assertEquals(1, o.exitCode());
            assertTrue(o.err().startsWith("error: dataset lmsys/chatbot_arena_conversations is gated (or does not exist) and no Hugging Face token was found."), o.err());
        }
    }

    @Test
    void badLimitIsRejected() {
        CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "download-queries", "--workspace", dir.toString(), "--limit", "0",
                "--datasets-server-url", "http://127.0.0.1:9");
        assertEquals(1, o.exitCode());
        assertEquals("error: --limit must be at least 1, got 0", o.err().strip());
    }
}
