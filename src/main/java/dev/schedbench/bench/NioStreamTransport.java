package dev.schedbench.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * Streams completions over plain HTTP/1.1 with one selector thread for all connections: each read is
 * timestamped and fed, chunk framing removed, straight into the request's {@link CompletionStreamParser}
 * on that thread. No hand-off between threads per read and nothing allocated per event, which is what
 * {@code java.net.http} cannot offer (see the decision record on the streaming transport). Keep-alive
 * connections are reused; one that the server closed while idle is retried once on a fresh connection.
 * Callers block on a virtual thread until their stream ends. {@code http} URLs only.
 */
final class NioStreamTransport implements StreamTransport {

    private static final int READ_BUFFER = 64 * 1024;
    private static final long CONNECT_TIMEOUT_NANOS = CompletionClient.CONNECT_TIMEOUT.toNanos();

    private final URI url;
    private final InetSocketAddress address;
    private final byte[] requestHead;
    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Exchange> submitted = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final List<Connection> connecting = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    private volatile boolean open = true;

    NioStreamTransport(URI url, Optional<String> bearerToken) throws IOException {
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("the NIO transport speaks plain http only, not " + url);
        }
        this.url = url;
        int port = url.getPort() > 0 ? url.getPort() : 80;
        this.address = new InetSocketAddress(url.getHost(), port);
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder()
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(url.getPort() > 0 ? ":" + url.getPort() : "").append("\r\n")
                .append("User-Agent: schedbench\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Accept: text/event-stream\r\n");
        bearerToken.ifPresent(token -> head.append("Authorization: Bearer ").append(token).append("\r\n"));
        head.append("Content-Length: ");
        this.requestHead = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().daemon().name("schedbench-stream-io").start(this::run);
    }

    @Override
    public CompletableFuture<StreamOutcome> start(byte[] payload, long sendNanos, TokenTally tally) {
        return submit(payload, sendNanos, tally).result;
    }

    private Exchange submit(byte[] payload, long sendNanos, TokenTally tally) {
        Exchange exchange = new Exchange(request(payload), new CompletionStreamParser(sendNanos, tally));
        if (!open) {
            exchange.result.complete(StreamOutcome.failed("client closed"));
            return exchange;
        }
        submitted.add(exchange);
        selector.wakeup();
        return exchange;
    }

    @Override
    public StreamOutcome stream(byte[] payload, long sendNanos, TokenTally tally) {
        Exchange exchange = submit(payload, sendNanos, tally);
        try {
            return exchange.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancelled = true;
            selector.wakeup();
            return StreamOutcome.failed("interrupted");
        } catch (ExecutionException e) {
            return StreamOutcome.failed("client error: " + e.getCause());
        }
    }

    private byte[] request(byte[] payload) {
        byte[] length = (payload.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[requestHead.length + length.length + payload.length];
        System.arraycopy(requestHead, 0, request, 0, requestHead.length);
        System.arraycopy(length, 0, request, requestHead.length, length.length);
        System.arraycopy(payload, 0, request, requestHead.length + length.length, payload.length);
        return request;
    }

    @Override
    public void close() {
        open = false;
        selector.wakeup();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the selector thread ----

    private void run() {
        long nextTimeoutScan = System.nanoTime() + 1_000_000_000L;
        try {
            while (open) {
                selector.select(1000);
                long now = System.nanoTime();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Connection c = (Connection) key.attachment();
                    if (key.isValid()) {
                        ready(c, key, now);
                    }
                }
                for (Exchange e = submitted.poll(); e != null; e = submitted.poll()) {
                    start(e);
                }
                if (now >= nextTimeoutScan) {
                    expireConnects(now);
                    nextTimeoutScan = now + 1_000_000_000L;
                }
            }
        } catch (IOException | RuntimeException e) {
            failAll("client I/O loop failed: " + e);
        } finally {
            failAll("client closed");
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void ready(Connection c, SelectionKey key, long now) {
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                connecting.remove(c);
                key.interestOps(SelectionKey.OP_READ);
                writeRequest(c);
                return;
            }
            if (key.isWritable()) {
                writeRequest(c);
            }
            if (key.isReadable()) {
                read(c, now);
            }
        } catch (IOException e) {
            broken(c, e);
        }
    }

    private void start(Exchange e) {
        if (e.cancelled) {
            e.result.complete(StreamOutcome.failed("interrupted"));
            return;
        }
        Connection c = idle.pollLast();
        if (c != null) {
            c.begin(e, true);
            try {
                writeRequest(c);
            } catch (IOException ex) {
                broken(c, ex);
            }
            return;
        }
        connect(e);
    }

    private void connect(Exchange e) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(channel);
            c.begin(e, false);
            if (channel.connect(address)) {
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                writeRequest(c);
            } else {
                c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
                c.connectDeadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
                connecting.add(c);
            }
        } catch (IOException ex) {
            e.result.complete(StreamOutcome.failed(CompletionClient.describe(ex, url)));
        }
    }

    private void expireConnects(long now) {
        for (Iterator<Connection> it = connecting.iterator(); it.hasNext(); ) {
            Connection c = it.next();
            if (now > c.connectDeadline) {
                it.remove();
                Exchange e = c.exchange;
                discard(c);
                if (e != null) {
                    e.result.complete(StreamOutcome.failed("connecting to " + url + " timed out"));
                }
            }
        }
    }

    private void writeRequest(Connection c) throws IOException {
        ByteBuffer out = c.pendingRequest;
        if (out == null) {
            return;
        }
        c.channel.write(out);
        if (out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            c.pendingRequest = null;
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(Connection c, long now) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = c.channel.read(readBuffer);
            if (n < 0) {
                endOfInput(c, now);
                return;
            }
            if (n == 0) {
                return;
            }
            if (c.exchange == null) {
                discard(c); // an idle connection must not speak; the server is closing or confused
                return;
            }
            c.receivedAny = true;
            c.consume(readBuffer.array(), 0, n, now);
            if (c.exchange == null || c.closed) {
                return;
            }
            if (n < READ_BUFFER) {
                return;
            }
        }
    }

    private void endOfInput(Connection c, long now) {
        Exchange e = c.exchange;
        if (e == null) {
            discard(c);
            return;
        }
        if (!c.receivedAny && c.reused) {
            retry(c, e); // a kept-alive connection the server had closed while idle
            return;
        }
        if (!c.decoder.endOfInput(now) && c.exchange != null) {
            e.parser.broken("connection closed by the server before the response ended");
            finish(c, e.parser.outcome(), false);
        }
    }

    private void broken(Connection c, IOException error) {
        connecting.remove(c);
        Exchange e = c.exchange;
        if (e == null) {
            discard(c);
            return;
        }
        if (!c.receivedAny && c.reused) {
            retry(c, e);
            return;
        }
        if (!c.connected()) {
            discard(c);
            e.result.complete(StreamOutcome.failed(CompletionClient.describe(
                    error instanceof ConnectException ? error : new ConnectException(error.getMessage()), url)));
            return;
        }
        e.parser.broken(CompletionClient.describe(error, url));
        finish(c, e.parser.outcome(), false);
    }

    private void retry(Connection c, Exchange e) {
        discard(c);
        e.retried = true;
        connect(e);
    }

    private void finish(Connection c, StreamOutcome outcome, boolean reusable) {
        Exchange e = c.exchange;
        c.exchange = null;
        if (reusable && open) {
            idle.addLast(c);
        } else {
            discard(c);
        }
        if (e != null) {
            e.result.complete(outcome);
        }
    }

    private void discard(Connection c) {
        c.closed = true;
        idle.remove(c);
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void failAll(String why) {
        for (Exchange e = submitted.poll(); e != null; e = submitted.poll()) {
            e.result.complete(StreamOutcome.failed(why));
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c) {
                if (c.exchange != null) {
                    c.exchange.result.complete(StreamOutcome.failed(why));
                    c.exchange = null;
                }
                discard(c);
            }
        }
        idle.clear();
    }

    /** One request in flight. */
    private static final class Exchange {
        final byte[] request;
        final CompletionStreamParser parser;
        final CompletableFuture<StreamOutcome> result = new CompletableFuture<>();
        volatile boolean cancelled;
        boolean retried;

        Exchange(byte[] request, CompletionStreamParser parser) {
            this.request = request;
            this.parser = parser;
        }
    }

    /** A connection; its decoder turns the response's bytes into parser input or an HTTP error. */
    private final class Connection implements Http1ResponseDecoder.Sink {
        final SocketChannel channel;
        final Http1ResponseDecoder decoder = new Http1ResponseDecoder(this);
        SelectionKey key;
        Exchange exchange;
        ByteBuffer pendingRequest;
        long connectDeadline;
        boolean reused;
        boolean receivedAny;
        boolean closed;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        boolean connected() {
            return channel.isConnected();
        }

        void begin(Exchange e, boolean reusedConnection) {
            exchange = e;
            reused = reusedConnection && !e.retried;
            receivedAny = false;
            pendingRequest = ByteBuffer.wrap(e.request);
            decoder.begin();
        }

        void consume(byte[] b, int from, int to, long now) {
            decoder.feed(b, from, to, now);
        }

        @Override
        public boolean body(byte[] bytes, int from, int to, long nowNanos) {
            CompletionStreamParser parser = exchange.parser;
            parser.feed(bytes, from, to, nowNanos);
            if (parser.failed()) {
                finish(this, parser.outcome(), false);
                return false;
            }
            return true;
        }

        @Override
        public void complete(long nowNanos, boolean keepAlive) {
            exchange.parser.endOfStream(nowNanos);
            finish(this, exchange.parser.outcome(), keepAlive);
        }

        @Override
        public void httpError(int status, byte[] body, boolean keepAlive) {
            finish(this, StreamOutcome.failed(CompletionClient.httpError(status, body)), keepAlive);
        }

        @Override
        public void malformed(String why) {
            exchange.parser.broken(why);
            finish(this, exchange.parser.outcome(), false);
        }
    }
}
