package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.schedbench.model.Policy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** vLLM's error bodies and status codes for what it refuses. */
class SimServerErrorsTest {

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
    void refusalsCarryVllmsErrorShapes() {
        StringBuilder transcript = new StringBuilder();
        record(transcript, "unknown model", "/v1/completions", "{\"model\":\"gpt-4\",\"prompt\":\"hi\"}");
        record(transcript, "unknown model, chat", "/v1/chat/completions",
                "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        record(transcript, "not JSON", "/v1/completions", "{not json");
        record(transcript, "not an object", "/v1/completions", "[1,2]");
        record(transcript, "missing prompt", "/v1/completions", "{\"model\":\"gpt2\"}");
        record(transcript, "missing messages", "/v1/chat/completions", "{\"model\":\"gpt2\"}");
        record(transcript, "max_tokens not a number", "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"max_tokens\":\"many\"}");
        record(transcript, "max_tokens zero", "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"max_tokens\":0}");
        record(transcript, "prompt too long", "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"the" + " the".repeat(1019) + "\",\"max_tokens\":16}");
        record(transcript, "chat prompt fills the context", "/v1/chat/completions",
                "{\"model\":\"gpt2\",\"messages\":[{\"role\":\"user\",\"content\":\"the" + " the".repeat(1030)
                        + "\"}]}");
        record(transcript, "priority under fcfs", "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"priority\":5}");
        record(transcript, "stream_options without stream", "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"stream_options\":{\"include_usage\":true}}");
        record(transcript, "n above one", "/v1/completions", "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"n\":2}");
        record(transcript, "several prompts", "/v1/completions", "{\"model\":\"gpt2\",\"prompt\":[\"a\",\"b\"]}");
        record(transcript, "empty prompt", "/v1/completions", "{\"model\":\"gpt2\",\"prompt\":\"\"}");
        record(transcript, "unknown model, tokenize", "/tokenize", "{\"model\":\"gpt-4\",\"prompt\":\"hi\"}");
        record(transcript, "unknown token id", "/detokenize", "{\"model\":\"gpt2\",\"tokens\":[99999999]}");
        record(transcript, "unknown path", "/v1/embeddings", "{}");
        HttpResponse<String> get = Http.get(base, "/v1/completions");
        transcript.append("GET on a POST route\n").append(get.statusCode()).append(' ').append(get.body()).append('\n');
        Golden.assertMatches("errors.txt", transcript.toString());
    }

    @Test
    void priorityZeroIsAcceptedUnderFcfs() {
        HttpResponse<String> response = Http.post(base, "/v1/completions",
                "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"priority\":0,\"max_tokens\":2}");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void missingModelMeansTheServedOne() {
        HttpResponse<String> response = Http.post(base, "/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":2}");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void errorsAreJson() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"nope\",\"prompt\":\"x\"}")).build());
        assertEquals(404, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    }

    private static void record(StringBuilder transcript, String name, String path, String body) {
        HttpResponse<String> response = Http.post(base, path, body);
        transcript.append(name).append('\n').append(response.statusCode()).append(' ').append(response.body())
                .append('\n');
    }
}
