package dev.schedbench.bench;

import static dev.schedbench.testsupport.ScriptedSseServer.DONE;
import static dev.schedbench.testsupport.ScriptedSseServer.chunk;
import static dev.schedbench.testsupport.ScriptedSseServer.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.testsupport.ScriptedSseServer;
import dev.schedbench.testsupport.ScriptedSseServer.Pause;
import dev.schedbench.testsupport.ScriptedSseServer.Reset;
import dev.schedbench.testsupport.ScriptedSseServer.Script;
import dev.schedbench.testsupport.ScriptedSseServer.Write;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One request per fault against a real server on loopback that replays exact bytes and pauses, through
 * each transport.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CompletionClientTest {

    abstract HttpTransport transport();

    static final class Nio extends CompletionClientTest {
        @Override
        HttpTransport transport() {
            return HttpTransport.NIO;
        }
    }

    static final class Jdk extends CompletionClientTest {
        @Override
        HttpTransport transport() {
            return HttpTransport.JDK;
        }
    }

    /** Generous: on a shared machine delivery can lag; the point is that the right gap is measured. */
    private static final double TOLERANCE_MS = 30;

    private static final Map<String, Script> SCRIPTS = Map.ofEntries(
            Map.entry("paced", ScriptedSseServer.paced(5, 150, 60)),
            Map.entry("split", Script.stream(List.of(
                    Write.of("data: {\"choices\": [{\"te"), new Pause(80), Write.of("xt\": \"a\"}]}\n"), new Pause(80),
                    Write.of("\n" + chunk("b") + "da"), new Pause(20), Write.of("ta: [DO"), new Pause(20), Write.of("NE]\n\n")))),
            Map.entry("comments", Script.stream(List.of(Write.of(": ping\n\n" + chunk("x") + ": ping\n\n" + chunk("y")
                    + usage(3, 2) + DONE)))),
            Map.entry("no-done", Script.stream(List.of(Write.of(chunk("x")), new Pause(30), Write.of(chunk("y"))))),
            Map.entry("midstream-error", Script.stream(List.of(Write.of(chunk("x")), new Pause(20),
                    Write.of("data: {\"error\": {\"object\": \"error\", \"message\": \"engine died\", \"type\": \"x\", \"code\": 500}}\n\n"),
                    new Pause(20), Write.of(chunk("never") + DONE)))),
            Map.entry("http-500", Script.json(500, "{\"object\": \"error\", \"message\": \"out of KV cache\", \"type\": \"InternalServerError\", \"code\": 500}")),
            Map.entry("http-400-openai", Script.json(400, "{\"error\": {\"message\": \"priority not enabled\", \"type\": \"BadRequestError\"}}")),
            Map.entry("http-500-text", Script.json(500, "Internal Server Error")),
            Map.entry("reset", Script.stream(List.of(Write.of(chunk("x")), new Pause(30), Write.of("data: {\"cho"), new Pause(30), new Reset()))),
            Map.entry("garbage", Script.stream(List.of(Write.of(chunk("x") + "<html>oops</html>\n" + chunk("y") + DONE)))),
            Map.entry("slow-first", ScriptedSseServer.paced(2, 500, 20)));

    private ScriptedSseServer server;
    private CompletionClient client;

    @BeforeAll
    void start() throws IOException {
        server = new ScriptedSseServer(body -> SCRIPTS.get(body.path("prompt").asText()), Optional.empty());
        client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"), Optional.of("sk-test-secret"),
                transport());
        assertEquals(transport(), client.transport());
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private StreamOutcome send(String prompt) {
        return send(prompt, System.nanoTime());
    }

    private StreamOutcome send(String prompt, long sendNanos) {
        byte[] payload = CompletionPayload.build("gpt2", prompt, 16, false, OptionalLong.empty());
        return client.stream(payload, sendNanos, TokenTally.NONE);
    }

    @Test
    void measuresTtftAndItlOfAPacedStream() {
        long sent = System.nanoTime();
        StreamOutcome o = send("paced", sent);
        assertTrue(o.success(), o.error());
        assertEquals(5, o.textChunks());
        assertEquals(OptionalLong.of(5), o.completionTokens());
        assertEquals(" t0 t1 t2 t3 t4", o.text());
        List<Long> writes = server.lastServed("paced").writeNanos();
        assertMatchesServer(writes.get(0) - sent, o.ttftNanos(), "TTFT");
        for (int i = 0; i < o.itlNanos().length; i++) {
            assertMatchesServer(writes.get(i + 1) - writes.get(i), o.itlNanos()[i], "ITL " + i);
        }
        assertMatchesServer(writes.getLast() - sent, o.e2elNanos(), "E2EL");
        assertTrue(writes.get(0) - sent >= 150_000_000L, "the server waited its 150 ms");
    }

    @Test
    void eventsCutAcrossWritesAreJoinedAndTimedWhenComplete() {
        long sent = System.nanoTime();
        StreamOutcome o = send("split", sent);
        assertTrue(o.success(), o.error());
        assertEquals("ab", o.text());
        List<Long> writes = server.lastServed("split").writeNanos();
        assertMatchesServer(writes.get(1) - sent, o.ttftNanos(), "first token completes with the second write");
        assertMatchesServer(writes.get(2) - writes.get(1), o.itlNanos()[0], "second token with the third write");
        assertMatchesServer(writes.getLast() - sent, o.e2elNanos(), "[DONE] completes with the last write");
    }

    @Test
    void commentsUsageChunksAndAMissingDoneAreFine() {
        StreamOutcome comments = send("comments");
        assertTrue(comments.success(), comments.error());
        assertEquals("xy", comments.text());
        assertEquals(OptionalLong.of(2), comments.completionTokens());
        long sent = System.nanoTime();
        StreamOutcome noDone = send("no-done", sent);
        assertTrue(noDone.success(), noDone.error());
        assertEquals("xy", noDone.text());
        assertMatchesServer(server.lastServed("no-done").writeNanos().getLast() - sent, noDone.e2elNanos(),
                "E2EL at the end of the body");
    }

    @Test
    void failuresBecomeTheRequestsErrorWithTheServersMessage() {
        assertEquals("server error: engine died", send("midstream-error").error());
        assertEquals("HTTP 500: out of KV cache", send("http-500").error());
        assertEquals("HTTP 400: priority not enabled", send("http-400-openai").error());
        assertEquals("HTTP 500: Internal Server Error", send("http-500-text").error());
        assertEquals("unexpected line in the event stream: '<html>oops</html>'", send("garbage").error());
        StreamOutcome reset = send("reset");
        assertFalse(reset.success());
        assertTrue(reset.error().startsWith("connection"), reset.error());
        assertEquals("x", reset.text());
    }

    @Test
    void aSlowFirstTokenIsMeasured() {
        long sent = System.nanoTime();
        StreamOutcome o = send("slow-first", sent);
        assertTrue(o.success(), o.error());
        assertTrue(o.ttftNanos() >= 500_000_000L, "slow TTFT: " + o.ttftNanos());
        assertMatchesServer(server.lastServed("slow-first").writeNanos().getFirst() - sent, o.ttftNanos(), "slow TTFT");
    }

    @Test
    void noServerIsAClearError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/v1/completions");
        try (CompletionClient nowhere = new CompletionClient(url, Optional.empty(), transport())) {
            StreamOutcome o = nowhere.stream(CompletionPayload.build("m", "p", 1, false, OptionalLong.empty()), System.nanoTime(),
                    TokenTally.NONE);
            assertTrue(o.error().startsWith("cannot connect to " + url), o.error());
        }
    }

    @Test
    void sendsTheSeedsPayloadAndTheBearerToken() {
        byte[] payload = CompletionPayload.build("gpt2", "paced", 7, true, OptionalLong.of(42));
        client.stream(payload, System.nanoTime(), TokenTally.NONE);
        ScriptedSseServer.Received r = server.completionRequests().stream()
                .filter(x -> x.body().path("priority").asLong() == 42).findFirst().orElseThrow();
        assertEquals("Bearer sk-test-secret", r.headers().get("authorization"));
        assertEquals("{\"model\":\"gpt2\",\"prompt\":\"paced\",\"temperature\":0.0,\"best_of\":1,\"max_tokens\":7,"
                + "\"logprobs\":null,\"stream\":true,\"ignore_eos\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"priority\":42}", r.body().toString());
    }

    /**
     * The client's measurement against what the server did, on the same clock: a token cannot be seen
     * before it was written, and is seen soon after (generously, on a loaded machine).
     */
    static void assertMatchesServer(long serverNanos, long measuredNanos, String what) {
        double serverMs = serverNanos / 1e6;
        double measuredMs = measuredNanos / 1e6;
        assertTrue(Math.abs(measuredMs - serverMs) <= TOLERANCE_MS,
                what + ": the server's writes say " + serverMs + " ms, the client measured " + measuredMs + " ms");
    }
}
