package dev.schedbench.sim.http;

import static dev.schedbench.sim.http.SimServerStreamsTest.awaitSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.server.ServerMetrics;
import dev.schedbench.server.ServerMetricsScraper;
import dev.schedbench.sim.EngineSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that leave while their request waits or runs: the server notices at once, without a write,
 * and the engine drops the request and frees its blocks. Clients that stay are served as before.
 */
class SimServerDisconnectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * gpt2 at a hundredth of its pace, 150 ms a decode step: a 1000-token answer would take 150 s, far
     * beyond the time these tests wait for an abort.
     */
    private static final double CRAWL = 0.01;
    private static final String LONG = "\"max_tokens\":1000,\"ignore_eos\":true";

    @Test
    void aNonStreamedRequestIsAbortedWhenItsClientCloses() throws Exception {
        try (SimServer server = gpt2(ServerConfig.DEFAULT_MAX_NUM_SEQS, CRAWL)) {
            Socket client = connect(server);
            send(client, completion("A long answer nobody waits for", LONG, false));
            awaitSnapshot(server, s -> s.running() == 1);

            client.close();

            EngineSnapshot after = awaitSnapshot(server, s -> s.running() == 0 && s.waiting() == 0);
            assertEquals(0.0, after.gpuCacheUsage(), "blocks freed");
            assertTrue(after.generationTokensTotal() < 1000, "generation stopped early: " + after);
            assertEquals(0, after.requestsFinishedLength() + after.requestsFinishedStop(), "aborted, not finished");
            ServerMetrics metrics = new ServerMetricsScraper(Http.CLIENT, server.baseUrl(), Optional.of("gpt2"))
                    .scrape();
            assertEquals(0.0, metrics.running());
            assertEquals(0.0, metrics.waiting());
            assertEquals(0.0, metrics.kvCacheUsage());
            assertEquals(0.0, metrics.requestsSucceeded().orElseThrow());
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {true, false})
    void aQueuedRequestLeavesTheQueueWhenItsClientCloses(boolean stream) throws Exception {
        try (SimServer server = gpt2(1, CRAWL);
                Socket occupant = connect(server)) {
            send(occupant, completion("The one running request", LONG, true));
            Response occupantHead = readHead(occupant.getInputStream());
            awaitSnapshot(server, s -> s.running() == 1);

            Socket queued = connect(server);
            send(queued, completion("Waits behind it", LONG, stream));
            if (stream) {
                // a stream commits its headers while it waits; its first token could only come once it runs
                Response head = readHead(queued.getInputStream());
                assertEquals(200, head.status());
                assertEquals("text/event-stream; charset=utf-8", head.headers().get("content-type"));
            }
            awaitSnapshot(server, s -> s.waiting() == 1);

            queued.close();

            EngineSnapshot after = awaitSnapshot(server, s -> s.waiting() == 0);
            assertEquals(1, after.running(), "the running request is untouched");
            assertEquals(0, after.requestsFinishedLength() + after.requestsFinishedStop());
            // ... and its client still receives its tokens
            assertEquals(200, occupantHead.status());
            assertTrue(readChunk(occupant.getInputStream()).startsWith("data: {\"id\":\"cmpl-"));
        }
    }

    @Test
    void aClientThatHalfClosesItsSideCountsAsGone() throws Exception {
        try (SimServer server = gpt2(ServerConfig.DEFAULT_MAX_NUM_SEQS, CRAWL);
                Socket client = connect(server)) {
            send(client, completion("Sent, then shut my side", LONG, false));
            awaitSnapshot(server, s -> s.running() == 1);

            client.shutdownOutput();

            EngineSnapshot after = awaitSnapshot(server, s -> s.running() == 0 && s.waiting() == 0);
            assertEquals(0.0, after.gpuCacheUsage(), "blocks freed");
            assertEquals(0, after.requestsFinishedLength() + after.requestsFinishedStop(), "aborted, not finished");
            // the server closes the connection without an answer
            assertEquals("", readToEnd(client.getInputStream()));
        }
    }

    @Test
    void aKeepAliveClientIsServedRequestAfterRequestOnOneConnection() throws Exception {
        try (SimServer server = gpt2(ServerConfig.DEFAULT_MAX_NUM_SEQS, 1.0);
                Socket client = connect(server)) {
            InputStream in = client.getInputStream();
            for (int i = 0; i < 3; i++) {
                send(client, completion("Again " + i, "\"max_tokens\":5,\"ignore_eos\":true", false));
                Response answer = readResponse(in);
                assertEquals(200, answer.status(), answer.body());
                assertEquals(5, JSON.readTree(answer.body()).at("/usage/completion_tokens").asInt());

                send(client, completion("Streamed " + i, "\"max_tokens\":3,\"ignore_eos\":true", true));
                Response stream = readResponse(in);
                assertEquals(200, stream.status());
                assertTrue(stream.body().endsWith("data: [DONE]\n\n"), stream.body());
            }
            assertEquals(6, server.engine().snapshot().requestsFinishedLength());
        }
    }

    @Test
    void aRequestPipelinedWhileTheFirstRunsIsAnsweredAfterIt() throws Exception {
        // 30 ms a step: the first answer takes some 1.5 s, long enough for the second to arrive meanwhile
        try (SimServer server = gpt2(ServerConfig.DEFAULT_MAX_NUM_SEQS, 0.05);
                Socket client = connect(server)) {
            send(client, completion("First", "\"max_tokens\":50,\"ignore_eos\":true", false));
            awaitSnapshot(server, s -> s.running() == 1);
            send(client, completion("Second", "\"max_tokens\":4,\"ignore_eos\":true", false));

            InputStream in = client.getInputStream();
            Response first = readResponse(in);
            Response second = readResponse(in);
            JsonNode firstBody = JSON.readTree(first.body());
            JsonNode secondBody = JSON.readTree(second.body());
            assertEquals(50, firstBody.at("/usage/completion_tokens").asInt(), first.body());
            assertEquals(4, secondBody.at("/usage/completion_tokens").asInt(), second.body());
            assertEquals(2, server.engine().snapshot().requestsFinishedLength());
        }
    }

    private static SimServer gpt2(int maxNumSeqs, double speed) {
        ServerConfig d = ServerConfig.defaults("gpt2", Policy.FCFS);
        return TestServers.start(new ServerConfig(d.model(), d.policy(), maxNumSeqs, d.maxNumBatchedTokens(),
                d.maxModelLen(), d.blockSize(), d.swapSpaceGib(), d.gpuMemoryUtilization(),
                d.enableChunkedPrefill(), d.stepsBeforePreemption(), d.seed(), d.profile(), speed));
    }

    private static String completion(String prompt, String limits, boolean stream) {
        return "{\"model\":\"gpt2\",\"prompt\":\"" + prompt + "\"," + limits + ",\"stream\":" + stream + "}";
    }

    private static Socket connect(SimServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        return socket;
    }

    private static void send(Socket socket, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private record Response(int status, Map<String, String> headers, String body) {}

    private static Response readHead(InputStream in) throws IOException {
        String status = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, "");
    }

    /** One whole response: a {@code Content-Length} body or a chunked one. */
    private static Response readResponse(InputStream in) throws IOException {
        Response head = readHead(in);
        String length = head.headers().get("content-length");
        String body;
        if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } else {
            assertEquals("chunked", head.headers().get("transfer-encoding"));
            StringBuilder chunks = new StringBuilder();
            for (String chunk = readChunk(in); !chunk.isEmpty(); chunk = readChunk(in)) {
                chunks.append(chunk);
            }
            body = chunks.toString();
        }
        return new Response(head.status(), head.headers(), body);
    }

    /** The next chunk of a chunked body; empty at its end (after the trailer's blank line). */
    private static String readChunk(InputStream in) throws IOException {
        int size = Integer.parseInt(readLine(in).trim(), 16);
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        assertEquals("", readLine(in));
        return chunk;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line: " + line);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Everything until the server closes; a reset counts as a close. */
    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "";
        }
    }
}
