package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Streamed responses, whose chunks the server frames itself below Jetty, read byte by byte off a raw
 * socket: every chunk's size line matches its data, the terminating chunk comes once and last, and a
 * keep-alive connection carries the next response right after it. HTTP/1.0 gets no chunking at all.
 */
class SimServerChunkFramingTest {

    private static final int TOKENS = 40;

    @Test
    void keepAliveCarriesTwoChunkedStreamsBackToBack() throws Exception {
        try (SimServer server = TestServers.gpt2(Policy.FCFS);
                Socket socket = connect(server)) {
            for (int round = 0; round < 2; round++) {
                Map<String, String> head = request(socket, "HTTP/1.1", "", "Round " + round);
                assertEquals("chunked", head.get("transfer-encoding"), head.toString());
                List<String> chunks = readChunks(socket.getInputStream());
                assertTrue(chunks.size() > 2, "the tokens come in several chunks: " + chunks.size());
                assertStream(String.join("", chunks));
            }
        }
    }

    @Test
    void connectionCloseStillChunksAndThenCloses() throws Exception {
        try (SimServer server = TestServers.gpt2(Policy.FCFS);
                Socket socket = connect(server)) {
            Map<String, String> head = request(socket, "HTTP/1.1", "Connection: close\r\n", "Closing");
            InputStream in = socket.getInputStream();
            assertEquals("chunked", head.get("transfer-encoding"));
            assertEquals("close", head.get("connection"));
            assertStream(String.join("", readChunks(in)));
            assertEquals(-1, in.read(), "nothing after the terminating chunk, then end of stream");
        }
    }

    @Test
    void http10GetsThePlainBodyUntilTheConnectionCloses() throws Exception {
        try (SimServer server = TestServers.gpt2(Policy.FCFS);
                Socket socket = connect(server)) {
            Map<String, String> head = request(socket, "HTTP/1.0", "", "Old client");
            assertFalse(head.containsKey("transfer-encoding"), head.toString());
            assertStream(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void assertStream(String body) {
        List<String> events = List.of(body.split("\n\n"));
        assertEquals(TOKENS + 1, events.size(), body);
        for (int i = 0; i < TOKENS; i++) {
            assertTrue(events.get(i).startsWith("data: {\"id\":\"cmpl-"), events.get(i));
        }
        assertTrue(events.get(TOKENS - 1).contains("\"finish_reason\":\"length\""), events.get(TOKENS - 1));
        assertEquals("data: [DONE]", events.get(TOKENS));
    }

    private static Socket connect(SimServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Sends a streamed completion request and reads the response's status line and headers. */
    private static Map<String, String> request(Socket socket, String version, String extraHeaders, String prompt)
            throws IOException {
        byte[] body = ("{\"model\":\"gpt2\",\"prompt\":\"" + prompt + "\",\"max_tokens\":" + TOKENS
                + ",\"ignore_eos\":true,\"stream\":true}").getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions " + version + "\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + extraHeaders + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return readHead(socket.getInputStream());
    }

    private static Map<String, String> readHead(InputStream in) throws IOException {
        assertTrue(readLine(in).startsWith("HTTP/1.1 200"));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** The chunks' data up to the terminating chunk, checking each size line and CRLF on the way. */
    private static List<String> readChunks(InputStream in) throws IOException {
        List<String> chunks = new ArrayList<>();
        while (true) {
            String sizeLine = readLine(in);
            assertTrue(sizeLine.matches("[0-9a-fA-F]+"), "a chunk size line, not '" + sizeLine + "'");
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                assertEquals("", readLine(in), "no trailers: the last chunk ends with an empty line");
                return chunks;
            }
            byte[] data = in.readNBytes(size);
            assertEquals(size, data.length);
            assertEquals("", readLine(in), "CRLF right after " + size + " bytes of data");
            chunks.add(new String(data, StandardCharsets.UTF_8));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("end of stream inside a line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
