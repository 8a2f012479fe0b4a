package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.Policy;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** vLLM's JSON and SSE shapes, byte for byte, from a real server on a loopback port. */
class SimServerApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimServer server;
    private static URI base;

    @BeforeAll
    static void start() {
        server = TestServers.gpt2(Policy.FCFS);
        base = server.baseUrl();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthIsAnEmptyOk() {
        HttpResponse<String> response = Http.get(base, "/health");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void modelsListTheServedModel() {
        HttpResponse<String> response = Http.get(base, "/v1/models");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        Golden.assertMatches("models.json", Golden.normalize(response.body()));
    }

    @Test
    void versionNamesTheVllmApiItSpeaks() {
        HttpResponse<String> response = Http.get(base, "/version");
        assertEquals("{\"version\":\"0.6.4+schedbench.sim\"}", response.body());
    }

    @Test
    void tokenizeCountsWithGpt2sOwnBpe() throws Exception {
        HttpResponse<String> response = Http.post(base, "/tokenize",
                "{\"model\":\"gpt2\",\"prompt\":\"Hello world, how are you?\"}");
        assertEquals(200, response.statusCode());
        Golden.assertMatches("tokenize.json", response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(15496, body.get("tokens").get(0).intValue(), "GPT-2's id of 'Hello'");
        assertEquals(995, body.get("tokens").get(1).intValue(), "GPT-2's id of ' world'");
    }

    @Test
    void detokenizeInvertsTokenize() throws Exception {
        HttpResponse<String> response = Http.post(base, "/detokenize", "{\"model\":\"gpt2\",\"tokens\":[15496,995]}");
        assertEquals(200, response.statusCode());
        assertEquals("{\"prompt\":\"Hello world\"}", response.body());
    }

    @Test
    void completionWithoutStreaming() {
        HttpResponse<String> response = Http.post(base, "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"The capital of France is\",\"max_tokens\":5,\"ignore_eos\":true}");
        assertEquals(200, response.statusCode());
        Golden.assertMatches("completion.json", Golden.normalize(response.body()));
    }

    @Test
    void completionStreamWithUsage() {
        HttpResponse<String> response = Http.post(base, "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"The capital of France is\",\"max_tokens\":4,\"ignore_eos\":true,"
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        Golden.assertMatches("completion-stream-usage.txt", Golden.normalize(response.body()));
    }

    @Test
    void completionStreamStoppingBeforeMaxTokens() {
        HttpResponse<String> response = Http.post(base, "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"Once upon a time\",\"max_tokens\":10,\"stream\":true,"
                        + "\"x_sim_output_len\":3}");
        assertEquals(200, response.statusCode());
        Golden.assertMatches("completion-stream-stop.txt", Golden.normalize(response.body()));
    }

    @Test
    void chatStreamWithUsage() {
        HttpResponse<String> response = Http.post(base, "/v1/chat/completions",
                "{\"model\":\"gpt2\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"max_tokens\":3,"
                        + "\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertEquals(200, response.statusCode());
        Golden.assertMatches("chat-stream-usage.txt", Golden.normalize(response.body()));
    }

    @Test
    void chatWithoutStreaming() {
        HttpResponse<String> response = Http.post(base, "/v1/chat/completions",
                "{\"model\":\"gpt2\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"max_tokens\":3,"
                        + "\"ignore_eos\":true}");
        assertEquals(200, response.statusCode());
        Golden.assertMatches("chat.json", Golden.normalize(response.body()));
    }

    @Test
    void generatedTextIsDeterministicAndRetokenisesToCompletionTokens() throws Exception {
        String request = "{\"model\":\"gpt2\",\"prompt\":\"Tell me a story\",\"max_tokens\":20,\"ignore_eos\":true}";
        JsonNode first = JSON.readTree(Http.post(base, "/v1/completions", request).body());
        JsonNode second = JSON.readTree(Http.post(base, "/v1/completions", request).body());
        String text = first.at("/choices/0/text").textValue();
        assertEquals(text, second.at("/choices/0/text").textValue());
        assertEquals(20, first.at("/usage/completion_tokens").intValue());
        JsonNode tokens = JSON.readTree(Http.post(base, "/tokenize",
                JSON.createObjectNode().put("model", "gpt2").put("prompt", text).toString()).body());
        assertEquals(20, tokens.get("count").intValue(), "re-tokenised text: " + text);
        assertTrue(text.matches("( [a-z]+){20}"), text);
    }
}
