package dev.schedbench.bench.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A deliberately minimal OpenAI-style streaming server for measuring the client: one thread, raw NIO,
 * one SSE event (one HTTP chunk, one write) per token, tokens paced at absolute times
 * {@code first + k·itl} so that its own delays never accumulate. It reports how late it wrote tokens
 * ({@code GET /stats}), so that client-side timing errors can be told from server-side ones. Loopback
 * only; not a simulator (see the {@code sim} package for that).
 *
 * <p>{@code POST /v1/completions} streams {@code max_tokens} tokens (or the fixed count it was started
 * with), each token's text carrying the time it was written; {@code GET /stats[?reset]} answers JSON;
 * {@code GET /pace?itl_us=N&first_us=M} sets the pacing of later requests; anything else is 404.
 */
public final class FakeStreamingServer implements AutoCloseable {

    /**
     * Each token's text is {@code " t"} and the {@link System#nanoTime()} it was written at, 19 digits:
     * on Linux that clock is shared by all processes, so the client can tell how long after the write it
     * saw each token.
     */
    private static final String STAMP_PLACEHOLDER = "0".repeat(19);
    private static final byte[] TOKEN_EVENT = chunk("data: {\"id\":\"cmpl-0\",\"object\":\"text_completion\",\"created\":0,"
            + "\"model\":\"fake\",\"choices\":[{\"index\":0,\"text\":\" t" + STAMP_PLACEHOLDER + "\",\"logprobs\":null,"
            + "\"finish_reason\":null,\"stop_reason\":null}],\"usage\":null}\n\n");
    private static final int STAMP_AT = new String(TOKEN_EVENT, StandardCharsets.US_ASCII).indexOf(" t" + STAMP_PLACEHOLDER) + 2;
    private static final byte[] HEADERS = ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
            + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long SPIN_BELOW_NANOS = 1_000_000;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private long itlNanos;
    private long firstTokenNanos;
    private final int fixedTokens;
    private final PriorityQueue<Connection> due = new PriorityQueue<>((a, b) -> Long.compare(a.nextDueNanos, b.nextDueNanos));
    private final ByteBuffer tokenEvent = ByteBuffer.wrap(TOKEN_EVENT);
    private final Histogram latenessMicros = new Histogram(60_000_000L, 3);
    private long gapSumNanos;
    private long gaps;
    private volatile boolean running = true;
    private long events;
    private int streaming;
    private int maxStreaming;
    private long lateWrites;

    /**
     * @param port            0 for any free port
     * @param itlNanos        gap between tokens
     * @param firstTokenNanos delay from request to first token
     * @param fixedTokens     tokens per response; 0 to use the request's {@code max_tokens}
     */
    public FakeStreamingServer(int port, long itlNanos, long firstTokenNanos, int fixedTokens) throws IOException {
        this.itlNanos = itlNanos;
        this.firstTokenNanos = firstTokenNanos;
        this.fixedTokens = fixedTokens;
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    /** Serves until {@link #close()}; call on a dedicated platform thread. */
    public void serve() throws IOException {
        while (running) {
            long wait = due.isEmpty() ? Long.MAX_VALUE : due.peek().nextDueNanos - System.nanoTime();
            if (wait >= 2 * SPIN_BELOW_NANOS) {
                selector.select(Math.max(1, wait / 1_000_000 - 1));
            } else if (wait > 0) {
                selector.selectNow();
                long left = due.peek().nextDueNanos - System.nanoTime();
                if (left > 0 && selector.selectedKeys().isEmpty()) {
                    LockSupport.parkNanos(Math.min(left, 200_000));
                }
            } else {
                selector.selectNow();
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept();
                } else {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isReadable()) {
                            read(c);
                        }
                        if (key.isValid() && key.isWritable()) {
                            flushPending(c);
                        }
                    } catch (IOException e) {
                        drop(c);
                    }
                }
            }
            writeDueTokens();
        }
    }

    private void accept() throws IOException {
        for (SocketChannel ch = listener.accept(); ch != null; ch = listener.accept()) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(ch);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        }
    }

    private void read(Connection c) throws IOException {
        int n = c.channel.read(c.in);
        if (n < 0) {
            drop(c);
            return;
        }
        while (c.state == State.READING) {
            int headerEnd = indexOf(c.in, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (headerEnd < 0) {
                if (!c.in.hasRemaining()) {
                    c.in = grow(c.in);
                }
                return;
            }
            String head = new String(c.in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
            int length = contentLength(head);
            int total = headerEnd + 4 + length;
            if (c.in.position() < total) {
                if (c.in.capacity() < total) {
                    c.in = grow(c.in, total);
                }
                return;
            }
            String body = new String(c.in.array(), headerEnd + 4, length, StandardCharsets.UTF_8);
            // keep any pipelined bytes after this request
            c.in.flip().position(total);
            c.in.compact();
            handle(c, head.substring(0, head.indexOf("\r\n")), body);
        }
    }

    private void handle(Connection c, String requestLine, String body) throws IOException {
        String[] parts = requestLine.split(" ");
        String path = parts.length > 1 ? parts[1] : "/";
        if (parts[0].equals("POST") && path.equals("/v1/completions")) {
            c.tokens = fixedTokens > 0 ? fixedTokens : Math.max(1, maxTokens(body));
            c.tokensLeft = c.tokens;
            c.state = State.STREAMING;
            write(c, ByteBuffer.wrap(HEADERS));
            c.nextDueNanos = System.nanoTime() + firstTokenNanos;
            due.add(c);
            streaming++;
            maxStreaming = Math.max(maxStreaming, streaming);
        } else if (parts[0].equals("GET") && path.startsWith("/stats")) {
            respond(c, 200, stats());
            if (path.contains("reset")) {
                latenessMicros.reset();
                events = 0;
                lateWrites = 0;
                gapSumNanos = 0;
                gaps = 0;
                maxStreaming = streaming;
            }
        } else if (parts[0].equals("GET") && path.startsWith("/pace?")) {
            // /pace?itl_us=N&first_us=M: pacing for the requests that follow
            for (String pair : path.substring("/pace?".length()).split("&")) {
                String[] kv = pair.split("=");
                long micros = Long.parseLong(kv[1]);
                switch (kv[0]) {
                    case "itl_us" -> itlNanos = micros * 1000;
                    case "first_us" -> firstTokenNanos = micros * 1000;
                    default -> { }
                }
            }
            respond(c, 200, "{}");
        } else if (parts[0].equals("GET") && path.equals("/health")) {
            respond(c, 200, "");
        } else {
            respond(c, 404, "{\"detail\":\"Not Found\"}");
        }
    }

    private String stats() {
        return String.format(Locale.ROOT, "{\"events\":%d,\"lateness_mean_us\":%.1f,\"lateness_p50_us\":%d,"
                        + "\"lateness_p99_us\":%d,\"lateness_max_us\":%d,\"late_over_1ms\":%d,\"max_open_streams\":%d,"
                        + "\"written_itl_mean_us\":%.3f}",
                events, latenessMicros.getTotalCount() == 0 ? 0.0 : latenessMicros.getMean(),
                latenessMicros.getValueAtPercentile(50), latenessMicros.getValueAtPercentile(99), latenessMicros.getMaxValue(),
                lateWrites, maxStreaming, gaps == 0 ? 0.0 : gapSumNanos / 1e3 / gaps);
    }

    private void respond(Connection c, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\ncontent-type: application/json\r\n"
                + "content-length: " + bytes.length + "\r\n\r\n";
        write(c, ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        write(c, ByteBuffer.wrap(bytes));
    }

    private void writeDueTokens() {
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek().nextDueNanos <= now) {
            Connection c = due.poll();
            long late = now - c.nextDueNanos;
            latenessMicros.recordValue(Math.min(late / 1000, latenessMicros.getHighestTrackableValue()));
            if (late > 1_000_000) {
                lateWrites++;
            }
            try {
                stamp(TOKEN_EVENT, System.nanoTime());
                tokenEvent.clear();
                write(c, tokenEvent);
                events++;
                if (c.lastWriteNanos != 0) {
                    gapSumNanos += now - c.lastWriteNanos;
                    gaps++;
                }
                c.lastWriteNanos = now;
                if (--c.tokensLeft > 0) {
                    c.nextDueNanos += itlNanos;
                    due.add(c);
                } else {
                    write(c, ByteBuffer.wrap(usageAndDone(c.tokens)));
                    write(c, ByteBuffer.wrap(END));
                    c.state = State.READING;
                    c.lastWriteNanos = 0;
                    streaming--;
                }
            } catch (IOException e) {
                drop(c);
            }
            now = System.nanoTime();
        }
    }

    /** Writes now, or queues what the socket would not take and waits for it to drain. */
    private void write(Connection c, ByteBuffer data) throws IOException {
        if (c.pending == null) {
            c.channel.write(data);
            if (!data.hasRemaining()) {
                return;
            }
            c.pending = ByteBuffer.allocate(Math.max(4096, data.remaining() * 2));
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        if (c.pending.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate((c.pending.position() + data.remaining()) * 2);
            c.pending.flip();
            bigger.put(c.pending);
            c.pending = bigger;
        }
        c.pending.put(data);
    }

    private void flushPending(Connection c) throws IOException {
        if (c.pending == null) {
            return;
        }
        c.pending.flip();
        c.channel.write(c.pending);
        if (c.pending.hasRemaining()) {
            c.pending.compact();
        } else {
            c.pending = null;
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void drop(Connection c) {
        if (c.state == State.STREAMING) {
            streaming--;
            due.remove(c);
        }
        c.state = State.CLOSED;
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        listener.close();
    }

    private enum State { READING, STREAMING, CLOSED }

    private static final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(4096);
        ByteBuffer pending;
        State state = State.READING;
        int tokensLeft;
        int tokens;
        long nextDueNanos;
        long lastWriteNanos;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private static void stamp(byte[] event, long nanos) {
        long value = nanos;
        for (int i = STAMP_AT + STAMP_PLACEHOLDER.length() - 1; i >= STAMP_AT; i--) {
            event[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static byte[] usageAndDone(int completionTokens) {
        return chunk("data: {\"id\":\"cmpl-0\",\"object\":\"text_completion\",\"created\":0,\"model\":\"fake\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":" + (completionTokens + 4) + ",\"completion_tokens\":"
                + completionTokens + "}}\n\ndata: [DONE]\n\n");
    }

    private static byte[] chunk(String payload) {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    private static int indexOf(ByteBuffer buffer, byte[] needle) {
        byte[] a = buffer.array();
        int end = buffer.position() - needle.length;
        outer:
        for (int i = 0; i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    private static int maxTokens(String body) {
        int at = body.indexOf("\"max_tokens\"");
        if (at < 0) {
            return 16;
        }
        int i = body.indexOf(':', at) + 1;
        while (i < body.length() && body.charAt(i) == ' ') {
            i++;
        }
        int value = 0;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            value = value * 10 + (body.charAt(i++) - '0');
        }
        return value;
    }

    private static ByteBuffer grow(ByteBuffer buffer) {
        return grow(buffer, buffer.capacity() * 2);
    }

    private static ByteBuffer grow(ByteBuffer buffer, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, buffer.capacity() * 2));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
