package dev.schedbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.testsupport.Golden;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every recorded stream gives the same outcome however its bytes are cut, and that outcome is the golden one. */
class CompletionStreamParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(Golden.file("bench/sse"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sse"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    @Test
    void everyFixtureMatchesItsGoldenOutcomeHoweverItIsSplit() throws IOException {
        List<String> names = fixtures();
        assertTrue(names.size() >= 20, names.toString());
        for (String name : names) {
            byte[] body = Golden.bytes("bench/sse/" + name + ".sse");
            String whole = describe(parse(body, body.length));
            Golden.assertMatches("bench/sse/" + name + ".expected.json", whole);
            assertEquals(whole, describe(parse(body, 1)), name + " fed byte by byte");
            for (int cut = 1; cut < body.length; cut += Math.max(1, body.length / 97)) {
                assertEquals(whole, describe(parseSplitAt(body, cut)), name + " cut at " + cut);
            }
        }
    }

    @Test
    void tokensAreTimedWhenTheirBytesArriveAndLatenciesCountFromTheSend() {
        byte[] body = Golden.bytes("bench/sse/vllm-basic.sse");
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        int second = s.indexOf("data:", 1);
        int third = s.indexOf("data:", second + 1);
        int usage = s.indexOf("data:", third + 1);
        CompletionStreamParser parser = new CompletionStreamParser(1_000, TokenTally.NONE);
        parser.feed(body, 0, second - 1, 5_000); // first event without its blank line
        parser.feed(body, second - 1, third, 9_000);
        parser.feed(body, third, usage, 20_000);
        parser.feed(body, usage, body.length, 25_000);
        parser.endOfStream(26_000);
        StreamOutcome o = parser.outcome();
        assertEquals(4_000, o.ttftNanos());
        assertEquals(List.of(4_000L, 11_000L), java.util.Arrays.stream(o.itlNanos()).boxed().toList());
        assertEquals(24_000, o.e2elNanos(), "E2EL at [DONE]");
        assertEquals(3, o.textChunks());
    }

    @Test
    void aBrokenConnectionFailsTheRequestUnlessDoneWasSeen() {
        byte[] body = Golden.bytes("bench/sse/vllm-basic.sse");
        CompletionStreamParser cut = new CompletionStreamParser(0, TokenTally.NONE);
        cut.feed(body, 0, 200, 10);
        cut.broken("connection reset");
        assertEquals("connection reset", cut.outcome().error());
        CompletionStreamParser whole = new CompletionStreamParser(0, TokenTally.NONE);
        whole.feed(body, 0, body.length, 10);
        whole.broken("connection reset");
        assertTrue(whole.outcome().success());
    }

    @Test
    void directBuffersAreReadToo() {
        byte[] body = Golden.bytes("bench/sse/vllm-basic.sse");
        ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();
        CompletionStreamParser parser = new CompletionStreamParser(0, TokenTally.NONE);
        parser.feed(direct, 1);
        parser.endOfStream(2);
        assertEquals(" Hello, world", parser.outcome().text());
        assertEquals(0, direct.remaining());
    }

    static CompletionStreamParser parse(byte[] body, int step) {
        CompletionStreamParser parser = new CompletionStreamParser(0, TokenTally.NONE);
        long now = 1;
        for (int i = 0; i < body.length; i += step) {
            // copy into a fresh buffer each time, as a network read would, so no state may point into it
            byte[] part = java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + step));
            parser.feed(ByteBuffer.wrap(part), now++);
        }
        parser.endOfStream(now);
        return parser;
    }

    static CompletionStreamParser parseSplitAt(byte[] body, int cut) {
        CompletionStreamParser parser = new CompletionStreamParser(0, TokenTally.NONE);
        byte[] padded = new byte[body.length + 10];
        System.arraycopy(body, 0, padded, 5, body.length);
        parser.feed(padded, 5, 5 + cut, 1);
        parser.feed(padded, 5 + cut, 5 + body.length, 2);
        parser.endOfStream(3);
        return parser;
    }

    static String describe(CompletionStreamParser parser) {
        StreamOutcome o = parser.outcome();
        ObjectNode node = JSON.createObjectNode();
        node.put("success", o.success());
        node.put("textChunks", o.textChunks());
        node.put("text", o.text());
        if (o.completionTokens().isPresent()) {
            node.put("completionTokens", o.completionTokens().getAsLong());
        } else {
            node.putNull("completionTokens");
        }
        node.put("error", o.error());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
