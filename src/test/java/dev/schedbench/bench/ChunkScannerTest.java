package dev.schedbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.testsupport.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written scanner agrees with a full JSON parser on every chunk the fixtures hold, and on their damage. */
class ChunkScannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Extracted(String text, long completionTokens, String error) {}

    @Test
    void agreesWithJacksonOnEveryFixtureChunk() throws Exception {
        List<String> chunks = new ArrayList<>(fixtureChunks());
        chunks.addAll(List.of(
                "{}", " { } ", "{\"choices\": []}", "{\"choices\": [1, \"x\", {\"text\": \"second\"}]}",
                "{\"choices\": [{\"text\": \"a\", \"text\": \"b\"}]}",
                "{\"usage\": {\"completion_tokens\": 1.7e1}}", "{\"usage\": {\"completion_tokens\": -0}}",
                "{\"usage\": null, \"choices\": null}", "{\"choices\": [{\"text\": \"\\u00e9\\ud83d\\ude00\"}]}",
                "{\"a\\\"b\": 1, \"choices\": [{\"te\\u0078t\": \"escaped key is not text\"}]}",
                "{\"error\": \"plain message\"}", "{\"error\": {}}", "{\"error\": 5}",
                "{\"object\": \"error\"}", "{\"object\": \"text_completion\", \"message\": \"not an error\"}",
                "{\"n\": [[[[]]], {\"x\": {\"y\": [true, false, null, -1.5E-3, 0, 12]}}]}"));
        for (String chunk : chunks) {
            Extracted expected = jackson(chunk);
            Extracted actual = scan(chunk);
            assertEquals(expected, actual, chunk);
        }
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        List<String> bad = List.of("", "   ", "[]", "\"text\"", "42", "null", "{", "{\"a\"}", "{\"a\":}", "{\"a\": 1,}",
                "{\"a\": 1} x", "{\"a\": 1}{}", "{a: 1}", "{\"a\": tru}", "{\"a\": nul}", "{\"a\": 01x}", "{\"a\": -}",
                "{\"a\": 1.}", "{\"a\": 1e}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"tab\there\"}",
                "{\"a\": [1 2]}", "{\"a\": {\"b\" 1}}", "{\"choices\": [{\"text\": \"x\"]}", "{\"choices\": [{\"text\": \"x\"}");
        for (String chunk : bad) {
            assertThrows(ChunkScanner.MalformedChunkException.class, () -> scan(chunk), chunk);
        }
    }

    @Test
    void everyTruncationOfAValidChunkIsRefused() throws IOException {
        for (String chunk : fixtureChunks()) {
            String trimmed = chunk.strip();
            for (int cut = 0; cut < trimmed.length() - 1; cut++) {
                String prefix = trimmed.substring(0, cut);
                try {
                    scan(prefix);
                    fail("accepted a truncated chunk: " + prefix);
                } catch (ChunkScanner.MalformedChunkException expected) {
                    // refused, as it must be
                }
            }
        }
    }

    private static List<String> fixtureChunks() throws IOException {
        List<String> chunks = new ArrayList<>();
        for (String name : CompletionStreamParserTest.fixtures()) {
            String body = new String(Golden.bytes("bench/sse/" + name + ".sse"), StandardCharsets.UTF_8);
            for (String line : body.split("\r\n|\r|\n")) {
                if (line.startsWith("data:")) {
                    String payload = line.substring(5).strip();
                    if (!payload.isEmpty() && !payload.equals("[DONE]") && isJsonObject(payload)) {
                        chunks.add(payload);
                    }
                }
            }
        }
        return chunks;
    }

    private static boolean isJsonObject(String text) {
        try {
            return JSON.readTree(text) instanceof ObjectNode;
        } catch (IOException e) {
            return false;
        }
    }

    private static Extracted scan(String chunk) throws ChunkScanner.MalformedChunkException {
        ChunkScanner scanner = new ChunkScanner();
        StringBuilder text = new StringBuilder();
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        scanner.scan(bytes, 0, bytes.length, text);
        return new Extracted(text.toString(), scanner.completionTokens, scanner.errorMessage);
    }

    /** What the scanner should find, read from Jackson's tree. */
    private static Extracted jackson(String chunk) throws IOException {
        JsonNode root = JSON.readTree(chunk);
        String text = "";
        JsonNode choices = root.path("choices");
        if (choices.isArray() && !choices.isEmpty() && choices.get(0).path("text").isTextual()) {
            text = choices.get(0).get("text").textValue();
        }
        JsonNode tokens = root.path("usage").path("completion_tokens");
        long completionTokens = tokens.isNumber() ? tokens.longValue() : -1;
        String error = null;
        JsonNode err = root.get("error");
        if (err != null) {
            error = err.isTextual() ? err.textValue() : err.path("message").isTextual() ? err.get("message").textValue() : "unknown error";
        } else if ("error".equals(root.path("object").textValue())) {
            error = root.path("message").isTextual() ? root.get("message").textValue() : "unknown error";
        }
        return new Extracted(text, completionTokens, error);
    }
}
