package dev.schedbench.bench;

import static dev.schedbench.testsupport.ScriptedSseServer.DONE;
import static dev.schedbench.testsupport.ScriptedSseServer.chunk;
import static dev.schedbench.testsupport.ScriptedSseServer.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.testsupport.ScriptedSseServer;
import dev.schedbench.testsupport.ScriptedSseServer.Await;
import dev.schedbench.testsupport.ScriptedSseServer.Awaited;
import dev.schedbench.testsupport.ScriptedSseServer.Pause;
import dev.schedbench.testsupport.ScriptedSseServer.Reset;
import dev.schedbench.testsupport.ScriptedSseServer.Script;
import dev.schedbench.testsupport.ScriptedSseServer.Served;
import dev.schedbench.testsupport.ScriptedSseServer.Step;
import dev.schedbench.testsupport.ScriptedSseServer.Write;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Only a broken client makes a gate wait this long: it never counts the token the gate waits for. */
    private static final Duration GATE_TIMEOUT = Duration.ofSeconds(10);

    /** Text chunks the client has counted in the request in flight; the scripts' gates wait on it. */
    private final AtomicInteger counted = new AtomicInteger();

    private final Map<String, Script> scripts = Map.ofEntries(
            Map.entry("paced", gatedPaced(5, 150, 60)),
            Map.entry("split", Script.stream(List.of(
                    Write.of("data: {\"choices\": [{\"te"), new Pause(80), Write.of("xt\": \"a\"}]}\n"), countedTo(1),
                    new Pause(80), Write.of("\n" + chunk("b") + "da"), countedTo(2), new Pause(20), Write.of("ta: [DO"),
                    new Pause(20), Write.of("NE]\n\n")))),
            Map.entry("comments", Script.stream(List.of(Write.of(": ping\n\n" + chunk("x") + ": ping\n\n" + chunk("y")
                    + usage(3, 2) + DONE)))),
            Map.entry("no-done", Script.stream(List.of(Write.of(chunk("x")), countedTo(1), new Pause(30), Write.of(chunk("y")),
                    countedTo(2)))),
            Map.entry("midstream-error", Script.stream(List.of(Write.of(chunk("x")), new Pause(20),
                    Write.of("data: {\"error\": {\"object\": \"error\", \"message\": \"engine died\", \"type\": \"x\", \"code\": 500}}\n\n"),
                    new Pause(20), Write.of(chunk("never") + DONE)))),
            Map.entry("http-500", Script.json(500, "{\"object\": \"error\", \"message\": \"out of KV cache\", \"type\": \"InternalServerError\", \"code\": 500}")),
            Map.entry("http-400-openai", Script.json(400, "{\"error\": {\"message\": \"priority not enabled\", \"type\": \"BadRequestError\"}}")),
            Map.entry("http-500-text", Script.json(500, "Internal Server Error")),
            Map.entry("reset", Script.stream(List.of(Write.of(chunk("x")), new Pause(30), Write.of("data: {\"cho"), new Pause(30), new Reset()))),
            Map.entry("garbage", Script.stream(List.of(Write.of(chunk("x") + "<html>oops</html>\n" + chunk("y") + DONE)))),
            Map.entry("slow-first", gatedPaced(2, 500, 20)));

    private ScriptedSseServer server;
    private CompletionClient client;

    @BeforeAll
    void start() throws IOException {
        server = new ScriptedSseServer(body -> scripts.get(body.path("prompt").asText()), Optional.empty());
        client = new CompletionClient(Endpoints.join(server.baseUrl(), "/v1/completions"), Optional.of("sk-test-secret"),
                transport());
        assertEquals(transport(), client.transport());
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        server.close();
    }

    /** Holds the stream until the client has counted {@code tokens} text chunks of it. */
    private Await countedTo(int tokens) {
        return new Await(() -> counted.get() >= tokens, GATE_TIMEOUT);
    }

    /** Like {@link ScriptedSseServer#paced}, but each token's write waits for the client to count the one before. */
    private Script gatedPaced(int tokens, long firstMillis, long gapMillis) {
        return ScriptedSseServer.paced(tokens, firstMillis, gapMillis, written -> Optional.<Step>of(countedTo(written)));
    }

    private StreamOutcome send(String prompt) {
        return send(prompt, System.nanoTime());
    }

    private StreamOutcome send(String prompt, long sendNanos) {
        return send(CompletionPayload.build("gpt2", prompt, 16, false, OptionalLong.empty()), sendNanos);
    }

    private StreamOutcome send(byte[] payload, long sendNanos) {
        counted.set(0);
        return client.stream(payload, sendNanos, counted::addAndGet);
    }

    @Test
    void measuresTtftAndItlOfAPacedStream() {
        long sent = System.nanoTime();
        StreamOutcome o = send("paced", sent);
        long returned = System.nanoTime();
        assertTrue(o.success(), o.error());
        assertEquals(5, o.textChunks());
        assertEquals(OptionalLong.of(5), o.completionTokens());
        assertEquals(" t0 t1 t2 t3 t4", o.text());
        Served served = server.lastServed("paced");
        List<Long> writes = served.writeNanos();
        assertTokensTimedAtTheirWrites(o, sent, writes.subList(0, 5), served.awaits());
        assertBetween(writes.getLast(), returned, sent + o.e2elNanos(), "E2EL ends with the [DONE] write");
        assertTrue(writes.get(0) - sent >= 150_000_000L, "the server waited its 150 ms");
        assertTrue(o.ttftNanos() >= 150_000_000L, "TTFT includes the server's 150 ms: " + o.ttftNanos());
    }

    @Test
    void eventsCutAcrossWritesAreJoinedAndTimedWhenComplete() {
        long sent = System.nanoTime();
        StreamOutcome o = send("split", sent);
        long returned = System.nanoTime();
        assertTrue(o.success(), o.error());
        assertEquals("ab", o.text());
        Served served = server.lastServed("split");
        List<Long> writes = served.writeNanos();
        // "a" begins in the first write and completes with the second; "b" completes with the third
        assertTokensTimedAtTheirWrites(o, sent, List.of(writes.get(1), writes.get(2)), served.awaits());
        assertBetween(writes.getLast(), returned, sent + o.e2elNanos(), "[DONE] completes with the last write");
    }

    @Test
    void commentsUsageChunksAndAMissingDoneAreFine() {
        StreamOutcome comments = send("comments");
        assertTrue(comments.success(), comments.error());
        assertEquals("xy", comments.text());
        assertEquals(OptionalLong.of(2), comments.completionTokens());
        long sent = System.nanoTime();
        StreamOutcome noDone = send("no-done", sent);
        long returned = System.nanoTime();
        assertTrue(noDone.success(), noDone.error());
        assertEquals("xy", noDone.text());
        Served served = server.lastServed("no-done");
        assertTokensTimedAtTheirWrites(noDone, sent, served.writeNanos(), served.awaits());
        // the body's end is written only after the server saw the last token counted
        assertBetween(served.awaits().getLast().nanos(), returned, sent + noDone.e2elNanos(), "E2EL at the end of the body");
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
        Served served = server.lastServed("slow-first");
        assertTokensTimedAtTheirWrites(o, sent, served.writeNanos().subList(0, 2), served.awaits());
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
        assertTrue(send(payload, System.nanoTime()).success());
        ScriptedSseServer.Received r = server.completionRequests().stream()
                .filter(x -> x.body().path("priority").asLong() == 42).findFirst().orElseThrow();
        assertEquals("Bearer sk-test-secret", r.headers().get("authorization"));
        assertEquals("{\"model\":\"gpt2\",\"prompt\":\"paced\",\"temperature\":0.0,\"best_of\":1,\"max_tokens\":7,"
                + "\"logprobs\":null,\"stream\":true,\"ignore_eos\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"priority\":42}", r.body().toString());
    }

    /**
     * Each text chunk's arrival as the client measured it ({@code sent + TTFT + ITLs so far}) lies
     * between the write that completed it and the moment the server saw the client had counted it, after
     * which alone the server wrote on: a token is never timed before its bytes were written, nor at any
     * later write. So every ITL is the server's own gap give or take the client's delays, which the same
     * clock bounds: there is no tolerance to guess, however loaded the machine.
     */
    static void assertTokensTimedAtTheirWrites(StreamOutcome o, long sentNanos, List<Long> completingWrites,
            List<Awaited> counted) {
        assertEquals(completingWrites.size(), o.textChunks(), "text chunks");
        assertEquals(completingWrites.size(), counted.size(), "gates passed");
        long arrival = sentNanos + o.ttftNanos();
        for (int k = 0; k < completingWrites.size(); k++) {
            if (k > 0) {
                arrival += o.itlNanos()[k - 1];
            }
            assertTrue(counted.get(k).held(), "the client never counted token " + k + " while the server waited for it");
            assertBetween(completingWrites.get(k), counted.get(k).nanos(), arrival, "token " + k);
        }
    }

    /** {@code fromNanos <= atNanos <= toNanos}: {@link System#nanoTime()} readings, the client's and the server's. */
    static void assertBetween(long fromNanos, long toNanos, long atNanos, String what) {
        assertTrue(fromNanos <= atNanos && atNanos <= toNanos, what + ": the client's time is " + (atNanos - fromNanos) / 1e6
                + " ms after the earliest it could be; it must lie within [0, " + (toNanos - fromNanos) / 1e6 + "] ms");
    }
}
