package dev.schedbench.bench;

import static dev.schedbench.testsupport.ScriptedSseServer.DONE;
import static dev.schedbench.testsupport.ScriptedSseServer.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.testsupport.ScriptedSseServer;
import dev.schedbench.testsupport.ScriptedSseServer.Framing;
import dev.schedbench.testsupport.ScriptedSseServer.Pause;
import dev.schedbench.testsupport.ScriptedSseServer.Script;
import dev.schedbench.testsupport.ScriptedSseServer.Write;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What only the NIO transport does itself: body framings, keep-alive reuse, retrying a silently closed connection. */
class NioStreamTransportTest {

    private static final List<ScriptedSseServer.Step> TWO_TOKENS = List.of(Write.of(chunk("a")), new Pause(10), Write.of(chunk("b") + DONE));

    private static StreamOutcome send(CompletionClient client) {
        return client.stream(CompletionPayload.build("m", "p", 2, false, OptionalLong.empty()), System.nanoTime(),
                TokenTally.NONE);
    }

    @Test
    void readsSizedAndCloseDelimitedBodiesAndSizedErrors() throws IOException {
        for (Framing framing : List.of(Framing.LENGTH, Framing.CLOSE, Framing.CHUNKED)) {
            try (ScriptedSseServer server = new ScriptedSseServer(b -> Script.stream(TWO_TOKENS).framed(framing), Optional.empty());
                    CompletionClient client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"),
                            Optional.empty(), HttpTransport.NIO)) {
                StreamOutcome o = send(client);
                assertTrue(o.success(), framing + ": " + o.error());
                assertEquals("ab", o.text(), framing.toString());
            }
        }
        for (Framing framing : List.of(Framing.LENGTH, Framing.CLOSE, Framing.CHUNKED)) {
            try (ScriptedSseServer server = new ScriptedSseServer(
                    b -> Script.json(503, "{\"message\": \"overloaded\"}").framed(framing), Optional.empty());
                    CompletionClient client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"),
                            Optional.empty(), HttpTransport.NIO)) {
                assertEquals("HTTP 503: overloaded", send(client).error(), framing.toString());
            }
        }
    }

    @Test
    void reusesKeptAliveConnectionsAndRetriesOnesTheServerDroppedWhileIdle() throws IOException {
        try (ScriptedSseServer server = new ScriptedSseServer(b -> Script.stream(TWO_TOKENS), Optional.empty());
                CompletionClient client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"),
                        Optional.empty(), HttpTransport.NIO)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(send(client).success());
            }
            long connections = server.completionRequests().stream().map(r -> r.headers().get("host")).count();
            assertEquals(5, connections);
        }
        try (ScriptedSseServer server = new ScriptedSseServer(
                b -> Script.stream(TWO_TOKENS).framed(Framing.CHUNKED_THEN_SILENT_CLOSE), Optional.empty());
                CompletionClient client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"),
                        Optional.empty(), HttpTransport.NIO)) {
            for (int i = 0; i < 4; i++) {
                StreamOutcome o = send(client);
                assertTrue(o.success(), "request " + i + ": " + o.error());
                sleep(120); // the server has closed the connection the client keeps
            }
        }
    }

    @Test
    void manyConcurrentStreamsEachGetTheirOwnBytes() throws Exception {
        try (ScriptedSseServer server = new ScriptedSseServer(b -> {
            String id = b.path("prompt").asText();
            List<ScriptedSseServer.Step> steps = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                steps.add(Write.of(chunk(id + ":" + i + ";")));
                steps.add(new Pause(3));
            }
            steps.add(Write.of(DONE));
            return Script.stream(steps);
        }, Optional.empty());
                CompletionClient client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"),
                        Optional.empty(), HttpTransport.NIO);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamOutcome>> outcomes = new ArrayList<>();
            for (int r = 0; r < 200; r++) {
                String id = "r" + r;
                outcomes.add(pool.submit(() -> client.stream(CompletionPayload.build("m", id, 5, false, OptionalLong.empty()),
                        System.nanoTime(), TokenTally.NONE)));
            }
            for (int r = 0; r < outcomes.size(); r++) {
                StreamOutcome o = outcomes.get(r).get();
                assertTrue(o.success(), o.error());
                assertEquals("r" + r + ":0;r" + r + ":1;r" + r + ":2;r" + r + ":3;r" + r + ":4;", o.text());
                assertEquals(4, o.itlNanos().length);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
