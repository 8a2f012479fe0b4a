package dev.schedbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every framing, fed whole and cut at every byte, gives the same body and ending. */
class Http1ResponseDecoderTest {

    private static final class Recorded implements Http1ResponseDecoder.Sink {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        String ending = "";

        @Override
        public boolean body(byte[] bytes, int from, int to, long nowNanos) {
            body.write(bytes, from, to - from);
            return true;
        }

        @Override
        public void complete(long nowNanos, boolean keepAlive) {
            ending += "complete keepAlive=" + keepAlive;
        }

        @Override
        public void httpError(int status, byte[] body, boolean keepAlive) {
            ending += "HTTP " + status + " " + new String(body, StandardCharsets.UTF_8) + " keepAlive=" + keepAlive;
        }

        @Override
        public void malformed(String why) {
            ending += "malformed: " + why;
        }

        String result() {
            return body.toString(StandardCharsets.UTF_8) + " | " + ending;
        }
    }

    record Case(String response, boolean closeAfter, String expected) {}

    private static final List<Case> CASES = List.of(
            new Case("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
                    false, "hello world | complete keepAlive=true"),
            new Case("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello", false, "hello | complete keepAlive=true"),
            new Case("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi", false, "hi | complete keepAlive=false"),
            new Case("HTTP/1.0 200 OK\r\n\r\nuntil the end", true, "until the end | complete keepAlive=false"),
            new Case("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, " | complete keepAlive=true"),
            new Case("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nno!\r\n0\r\n\r\n", false, " | HTTP 404 no! keepAlive=true"),
            new Case("HTTP/1.1 500 Oops\r\ncontent-length: 4\r\n\r\nboom", false, " | HTTP 500 boom keepAlive=true"),
            new Case("HTTP/1.0 503 Busy\r\n\r\nlater", true, " | HTTP 503 later keepAlive=false"),
            new Case("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, " | malformed: bad chunk size in the response"),
            new Case("SSH-2.0-OpenSSH\r\n\r\n", false, " | malformed: not an HTTP response: SSH-2.0-OpenSSH"));

    @Test
    void decodesEveryFramingHoweverTheBytesAreCut() {
        for (Case c : CASES) {
            byte[] bytes = c.response().getBytes(StandardCharsets.ISO_8859_1);
            for (int cut = 0; cut <= bytes.length; cut++) {
                Recorded sink = new Recorded();
                Http1ResponseDecoder decoder = new Http1ResponseDecoder(sink);
                decoder.begin();
                decoder.feed(bytes, 0, cut, 1);
                decoder.feed(bytes, cut, bytes.length, 2);
                if (c.closeAfter()) {
                    assertTrue(decoder.endOfInput(3));
                }
                assertEquals(c.expected(), sink.result(), c.response() + " cut at " + cut);
                assertTrue(decoder.done());
            }
        }
    }

    @Test
    void aCutOffResponseIsNotAnEnding() {
        Recorded sink = new Recorded();
        Http1ResponseDecoder decoder = new Http1ResponseDecoder(sink);
        decoder.begin();
        byte[] bytes = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf".getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(bytes, 0, bytes.length, 1);
        assertFalse(decoder.endOfInput(2));
        assertFalse(decoder.done());
        assertEquals("half | ", sink.result());
    }
}
