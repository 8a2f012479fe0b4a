package dev.schedbench.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.bench.CompletionClient;
import dev.schedbench.bench.CompletionPayload;
import dev.schedbench.bench.Endpoints;
import dev.schedbench.bench.HttpTransport;
import dev.schedbench.bench.StreamOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FakeStreamingServerTest {

    @Test
    void streamsOneEventPerTokenAtItsPaceAndReportsWhatItWrote() throws Exception {
        try (FakeStreamingServer server = new FakeStreamingServer(0, 5_000_000, 10_000_000, 0)) {
            Thread loop = Thread.ofPlatform().daemon().start(() -> {
                try {
                    server.serve();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            URI base = URI.create("http://127.0.0.1:" + server.port());
            for (HttpTransport transport : HttpTransport.values()) {
                try (CompletionClient client = new CompletionClient(Endpoints.join(base, "/v1/completions"), Optional.empty(), transport)) {
                    StreamOutcome o = client.stream(CompletionPayload.build("m", "p", 6, false, OptionalLong.empty()), System.nanoTime(),
                            tokens -> { });
                    assertTrue(o.success(), o.error());
                    assertTrue(o.text().matches("( t[0-9]{19}){6}"), o.text());
                    assertEquals(OptionalLong.of(6), o.completionTokens());
                    assertEquals(5, o.itlNanos().length);
                    assertTrue(o.e2elNanos() >= 10_000_000L + 5 * 5_000_000L, "paced: " + o.e2elNanos());
                }
            }
            try (HttpClient http = HttpClient.newHttpClient()) {
                JsonNode stats = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(base.resolve("/stats?reset")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(12, stats.get("events").asInt());
                assertTrue(stats.get("written_itl_mean_us").asDouble() > 0, stats.toString());
                assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/pace?itl_us=0&first_us=0")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/nothing")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            server.close();
            loop.join(5000);
        }
    }
}
