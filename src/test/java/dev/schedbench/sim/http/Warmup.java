package dev.schedbench.sim.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a burst of short streamed requests so that the server's request and write paths are
 * compiled before anything is timed: a cold JVM interprets Jetty's write path at a few hundred
 * microseconds per write, which is not what a running server costs.
 */
final class Warmup {

    private Warmup() {}

    static void run(SimServer server, int requests, int tokens) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            prompts.add("warm up " + i);
        }
        run(server, prompts, tokens);
    }

    /** One streamed request of {@code tokens} tokens per prompt, all at once. */
    static void run(SimServer server, List<String> prompts, int tokens) {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (String prompt : prompts) {
            String body = "{\"model\":\"" + server.modelName() + "\",\"prompt\":" + quoted(prompt) + ",\"max_tokens\":"
                    + tokens + ",\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
            responses.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(server.baseUrl().resolve("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            if (response.join().statusCode() != 200) {
                throw new IllegalStateException("warm-up request failed: " + response.join().body());
            }
        }
    }

    private static String quoted(String text) {
        return JsonNodeFactory.instance.textNode(text).toString();
    }
}
