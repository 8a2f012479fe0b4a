package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.EngineSnapshot;
import dev.schedbench.sim.LiveEngine;
import dev.schedbench.sim.SimEngines;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Streams under stress: clients that leave, clients that do not read, ports that are taken. */
class SimServerStreamsTest {

    @Test
    void clientDisconnectAbortsTheRequestAndFreesItsBlocks() throws Exception {
        try (SimServer server = TestServers.slowGpt2(Policy.FCFS);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt2\",\"prompt\":\"Write a long essay\","
                            + "\"max_tokens\":1000,\"ignore_eos\":true,\"stream\":true}"))
                    .build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            for (int tokens = 0; tokens < 3; ) {
                if (lines.readLine().startsWith("data: {")) {
                    tokens++;
                }
            }
            assertEquals(1, server.engine().snapshot().running(), "the request runs while the client reads");
            // closing the body stream alone lets java.net.http keep the connection; this closes the socket
            client.shutdownNow();

            EngineSnapshot after = awaitSnapshot(server, s -> s.running() == 0 && s.waiting() == 0);
            assertEquals(0.0, after.gpuCacheUsage(), "blocks freed");
            assertTrue(after.generationTokensTotal() < 1000, "generation stopped early: " + after);
            assertEquals(0, after.requestsFinishedLength() + after.requestsFinishedStop(), "aborted, not finished");
        }
    }

    @Test
    void aSlowReaderHoldsUpNeitherTheEngineNorOtherStreams() throws Exception {
        // a long context and a high speed-up, so that the slow stream outgrows every kernel buffer quickly
        ServerConfig config = new ServerConfig("llama-3-8b", Policy.FCFS, 256, OptionalInt.empty(),
                OptionalInt.empty(), 16, 4, 0.9, Optional.empty(), 30, 0, Optional.empty(), 20.0);
        try (SimServer server = TestServers.start(config);
                Socket slow = new Socket()) {
            int slowTokens = 4000;
            // The socket keeps the kernel's default buffers: some 250 kB between both ends, a quarter of the
            // slow stream's 1 MB. A tiny receive buffer would shrink TCP's window below a segment, and then
            // the reader, once it reads, is fed about 1 kB per 200 ms window probe: 200 s for the stream.
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            String body = "{\"model\":\"llama-3-8b\",\"prompt\":\"Slow reader\",\"max_tokens\":" + slowTokens
                    + ",\"ignore_eos\":true,\"stream\":true}";
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitSnapshot(server, s -> s.running() == 1);

            List<CompletableFuture<HttpResponse<String>>> fast = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fast.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(server.baseUrl().resolve("/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama-3-8b\",\"prompt\":\"Fast " + i
                                + "\",\"max_tokens\":50,\"ignore_eos\":true,\"stream\":true}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : fast) {
                String text = response.get().body();
                assertTrue(text.endsWith("data: [DONE]\n\n"), text);
                assertEquals(50, text.split("\"text\":\" ").length - 1, "tokens with text");
            }
            // The engine generates every token of the slow stream although its client has read nothing.
            EngineSnapshot finished = awaitSnapshot(server, s -> s.requestsFinishedLength() == 21);
            assertEquals(0, finished.running());

            // ... and the client still gets all of them, in order, once it reads.
            BufferedReader reader = new BufferedReader(new InputStreamReader(slow.getInputStream(),
                    StandardCharsets.UTF_8));
            int tokens = 0;
            String line;
            while ((line = reader.readLine()) != null && !line.equals("data: [DONE]")) {
                if (line.startsWith("data: {")) {
                    tokens++;
                }
            }
            assertEquals(slowTokens, tokens);
            assertTrue(server.pacing().summary().maxMicros() > 200_000,
                    "the slow stream's tokens waited in the server, not in the engine: " + server.pacing().summary());
        }
    }

    @Test
    void closingTheServerEndsOpenStreamsWithVllmsErrorEvent() throws Exception {
        SimServer server = TestServers.slowGpt2(Policy.FCFS);
        HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt2\",\"prompt\":\"Keep going\","
                        + "\"max_tokens\":1000,\"ignore_eos\":true,\"stream\":true}"))
                .build();
        HttpResponse<InputStream> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertTrue(lines.readLine().startsWith("data: {\"id\":\"cmpl-"));
        server.close();
        List<String> events = new ArrayList<>();
        for (String line; (line = lines.readLine()) != null; ) {
            if (!line.isEmpty()) {
                events.add(line);
            }
        }
        assertEquals("data: [DONE]", events.getLast());
        assertEquals("data: {\"error\":{\"object\":\"error\",\"message\":\"the simulated engine was shut down\","
                + "\"type\":\"InternalServerError\",\"param\":null,\"code\":500}}", events.get(events.size() - 2));
    }

    @Test
    void aTakenPortIsOneClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LiveEngine engine = SimEngines.live(ServerConfig.defaults("gpt2", Policy.FCFS));
            UserError error = assertThrows(UserError.class,
                    () -> SimServer.start(engine, "127.0.0.1", taken.getLocalPort(), List.of()));
            assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; choose another with "
                    + "--port, or stop the program that holds it", error.getMessage());
        }
    }

    static EngineSnapshot awaitSnapshot(SimServer server, Predicate<EngineSnapshot> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        EngineSnapshot snapshot = server.engine().snapshot();
        while (!condition.test(snapshot)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("engine never reached the expected state: " + snapshot);
            }
            Thread.sleep(5);
            snapshot = server.engine().snapshot();
        }
        return snapshot;
    }
}
