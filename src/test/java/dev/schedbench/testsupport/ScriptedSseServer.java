package dev.schedbench.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * An OpenAI-compatible completions server on loopback that replays scripts byte for byte: exact
 * pauses between writes, events cut mid-line across writes, comments, errors, resets. Raw sockets, so
 * every write is its own HTTP chunk and a reset is a real TCP RST. The script for a request is chosen
 * from its JSON body (usually by its prompt).
 */
public final class ScriptedSseServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT_POLL = Duration.ofNanos(100_000);

    /** One thing the server does while answering. */
    public sealed interface Step {}

    /** Writes bytes as one HTTP chunk (or raw, for a close-delimited body) and flushes. */
    public record Write(byte[] bytes) implements Step {
        public static Write of(String text) {
            return new Write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    public record Pause(long millis) implements Step {}

    /** Aborts the connection with a TCP reset. */
    public record Reset() implements Step {}

    /**
     * Holds the response until {@code condition} holds (giving up after {@code timeout}) and records
     * when it was seen to hold: a bound, free of any scheduling delay, on when the client had handled
     * everything written before, because nothing more is written until then.
     */
    public record Await(BooleanSupplier condition, Duration timeout) implements Step {}

    /** When an {@link Await} ended ({@link System#nanoTime()}), and whether its condition held or it gave up. */
    public record Awaited(long nanos, boolean held) {}

    /**
     * A response: status, content type, steps. A 200 {@code text/event-stream} is sent chunked, as
     * uvicorn sends vLLM's; any other body with a Content-Length after its steps' bytes are collected.
     */
    public record Script(int status, String contentType, List<Step> steps, Framing framing) {
        public Script(int status, String contentType, List<Step> steps) {
            this(status, contentType, steps, status == 200 && contentType.equals("text/event-stream") ? Framing.CHUNKED : Framing.LENGTH);
        }

        public static Script stream(List<Step> steps) {
            return new Script(200, "text/event-stream", steps);
        }

        public static Script json(int status, String body) {
            return new Script(status, "application/json", List.of(Write.of(body)));
        }

        public Script framed(Framing other) {
            return new Script(status, contentType, steps, other);
        }
    }

    /**
     * How the body is delimited: chunked (uvicorn's way), by Content-Length, by closing the connection
     * (HTTP/1.0 style), or chunked and then closed without saying so (a server dropping an idle
     * keep-alive connection).
     */
    public enum Framing { CHUNKED, LENGTH, CLOSE, CHUNKED_THEN_SILENT_CLOSE }

    /** What a request carried. */
    public record Received(String method, String path, Map<String, String> headers, JsonNode body, long receivedNanos) {}

    /**
     * A request, when ({@link System#nanoTime()}, the tests' clock too) each write of its response began,
     * and how each of its {@link Await} steps ended.
     */
    public record Served(Received request, List<Long> writeNanos, List<Awaited> awaits) {}

    private final ServerSocket socket;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<JsonNode, Script> completions;
    private final Optional<Function<String, Integer>> tokenizer;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();
    private final List<Socket> open = new ArrayList<>();

    /**
     * @param completions picks the script for a {@code POST /v1/completions} body
     * @param tokenizer   when present, {@code POST /tokenize} answers {@code {"count": tokenizer(prompt)}}; else 404
     */
    public ScriptedSseServer(Function<JsonNode, Script> completions, Optional<Function<String, Integer>> tokenizer)
            throws IOException {
        this.completions = completions;
        this.tokenizer = tokenizer;
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        Thread.ofPlatform().daemon().name("scripted-sse-accept").start(this::acceptLoop);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Completed responses with their write times, in completion order. */
    public List<Served> served() {
        return List.copyOf(served);
    }

    /** The last response served for a completion request whose prompt is {@code prompt}. */
    public Served lastServed(String prompt) {
        return served.stream().filter(s -> s.request().body().path("prompt").asText().equals(prompt))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("nothing served for prompt " + prompt));
    }

    /** The completion requests received, in arrival order. */
    public List<Received> completionRequests() {
        return received.stream().filter(r -> r.path().equals("/v1/completions")).toList();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                synchronized (open) {
                    open.add(client);
                }
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                Optional<Received> request = readRequest(in);
                if (request.isEmpty()) {
                    return;
                }
                Received r = request.get();
                received.add(r);
                Script script = route(r);
                List<Long> writes = new CopyOnWriteArrayList<>();
                List<Awaited> awaits = new CopyOnWriteArrayList<>();
                served.add(new Served(r, writes, awaits));
                if (!respond(client, out, script, writes, awaits)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the test ended
        }
    }

    private Script route(Received r) {
        if (r.path().equals("/tokenize") && tokenizer.isPresent()) {
            int count = tokenizer.get().apply(r.body().path("prompt").asText());
            return Script.json(200, "{\"count\": " + count + ", \"max_model_len\": 1024, \"tokens\": []}");
        }
        if (r.path().equals("/v1/completions") && r.method().equals("POST")) {
            return completions.apply(r.body());
        }
        return Script.json(404, "{\"detail\": \"Not Found\"}");
    }

    /** Returns whether the connection may be reused. */
    private boolean respond(Socket client, OutputStream out, Script script, List<Long> writes, List<Awaited> awaits)
            throws IOException, InterruptedException {
        if (script.framing() == Framing.CLOSE) {
            out.write(("HTTP/1.0 " + script.status() + " " + reason(script.status()) + "\r\ncontent-type: " + script.contentType()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Step step : script.steps()) {
                switch (step) {
                    case Write w -> {
                        writes.add(System.nanoTime()); // before the bytes leave, so a reader never sees them first
                        out.write(w.bytes());
                        out.flush();
                    }
                    case Pause p -> Thread.sleep(p.millis());
                    case Await a -> awaits.add(await(a));
                    case Reset r -> {
                        client.setSoLinger(true, 0);
                    }
                }
            }
            out.flush();
            client.close();
            return false;
        }
        if (script.framing() == Framing.LENGTH) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Step step : script.steps()) {
                if (step instanceof Write w) {
                    body.write(w.bytes());
                }
            }
            out.write(("HTTP/1.1 " + script.status() + " " + reason(script.status()) + "\r\ncontent-type: "
                    + script.contentType() + "\r\ncontent-length: " + body.size() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body.toByteArray());
            out.flush();
            return true;
        }
        out.write(("HTTP/1.1 " + script.status() + " " + reason(script.status()) + "\r\ncontent-type: " + script.contentType()
                + "; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (Step step : script.steps()) {
            switch (step) {
                case Write w -> {
                    writes.add(System.nanoTime()); // before the bytes leave, so a reader never sees them first
                    out.write((Integer.toHexString(w.bytes().length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(w.bytes());
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case Pause p -> Thread.sleep(p.millis());
                case Await a -> awaits.add(await(a));
                case Reset r -> {
                    client.setSoLinger(true, 0);
                    client.close();
                    return false;
                }
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (script.framing() == Framing.CHUNKED_THEN_SILENT_CLOSE) {
            Thread.sleep(50);
            client.close();
            return false;
        }
        return true;
    }

    private static Awaited await(Await a) throws InterruptedException {
        long deadline = System.nanoTime() + a.timeout().toNanos();
        while (!a.condition().getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return new Awaited(System.nanoTime(), false);
            }
            Thread.sleep(AWAIT_POLL);
        }
        return new Awaited(System.nanoTime(), true);
    }

    private static Optional<Received> readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return Optional.empty();
        }
        long receivedNanos = System.nanoTime();
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        JsonNode json = length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        return Optional.of(new Received(parts[0], parts[1], headers, json, receivedNanos));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString().stripTrailing();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (open) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (SocketException ignored) {
                    // already gone
                }
            }
        }
        pool.shutdownNow();
        pool.close();
    }

    // ---- script building ----

    /** A vLLM-style text chunk event. */
    public static String chunk(String text) {
        return "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt2\",\"choices\":"
                + "[{\"index\":0,\"text\":" + JSON.valueToTree(text) + ",\"logprobs\":null,\"finish_reason\":null,"
                + "\"stop_reason\":null}],\"usage\":null}\n\n";
    }

    /** The usage event vLLM sends last when asked to include usage. */
    public static String usage(int promptTokens, int completionTokens) {
        return "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt2\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + (promptTokens + completionTokens)
                + ",\"completion_tokens\":" + completionTokens + "}}\n\n";
    }

    public static final String DONE = "data: [DONE]\n\n";

    /** {@code tokens} chunks, the first after {@code firstMillis}, then one every {@code gapMillis}, usage, [DONE]. */
    public static Script paced(int tokens, long firstMillis, long gapMillis) {
        return paced(tokens, firstMillis, gapMillis, written -> Optional.empty());
    }

    /**
     * As {@link #paced(int, long, long)}, with {@code afterToken} giving a step to take right after
     * each token's write (it is told how many tokens have been written), e.g. to wait for the client.
     */
    public static Script paced(int tokens, long firstMillis, long gapMillis, IntFunction<Optional<Step>> afterToken) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Pause(firstMillis));
        for (int i = 0; i < tokens; i++) {
            if (i > 0) {
                steps.add(new Pause(gapMillis));
            }
            steps.add(Write.of(chunk(" t" + i)));
            afterToken.apply(i + 1).ifPresent(steps::add);
        }
        steps.add(Write.of(usage(4, tokens) + DONE));
        return Script.stream(steps);
    }
}
