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
import java.util.Locale;
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
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_ERROR_BODY = 64 * 1024;
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
            if (c.exchange == null || c.state == State.CLOSED) {
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
        if (c.state == State.BODY_UNTIL_CLOSE) {
            e.parser.endOfStream(now);
            finish(c, e.parser.outcome(), false);
            return;
        }
        if (c.state == State.ERROR_BODY_UNTIL_CLOSE) {
            finish(c, StreamOutcome.failed(CompletionClient.httpError(c.status, c.errorBody())), false);
            return;
        }
        e.parser.broken("connection closed by the server before the response ended");
        finish(c, e.parser.outcome(), false);
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
            c.reset();
            idle.addLast(c);
        } else {
            discard(c);
        }
        if (e != null) {
            e.result.complete(outcome);
        }
    }

    private void discard(Connection c) {
        c.state = State.CLOSED;
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

    private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, BODY_LENGTH, BODY_UNTIL_CLOSE,
        ERROR_BODY_LENGTH, ERROR_BODY_UNTIL_CLOSE, IDLE, CLOSED }

    /**
     * A connection and the response it is reading: status line and headers, then the body (chunked,
     * sized or until close) handed to the parser, or collected when the status is not 200.
     */
    private final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        Exchange exchange;
        ByteBuffer pendingRequest;
        long connectDeadline;
        boolean reused;
        boolean receivedAny;
        State state = State.IDLE;
        byte[] head = new byte[1024];
        int headLength;
        int status;
        boolean keepAlive;
        boolean chunkedError;
        long remaining;
        long chunkSize;
        boolean chunkSizeDigits;
        boolean chunkExtension;
        int trailerLineLength;
        byte[] error;
        int errorLength;

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
            state = State.HEAD;
            headLength = 0;
        }

        void reset() {
            state = State.IDLE;
            headLength = 0;
            error = null;
            errorLength = 0;
        }

        void consume(byte[] b, int from, int to, long now) {
            int i = from;
            while (i < to && exchange != null) {
                switch (state) {
                    case HEAD -> i = head(b, i, to, now);
                    case CHUNK_SIZE -> i = chunkSize(b, i, to, now);
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(chunkSize, to - i);
                        if (chunkedError) {
                            collect(b, i, i + n);
                        } else {
                            exchange.parser.feed(b, i, i + n, now);
                        }
                        i += n;
                        chunkSize -= n;
                        if (chunkSize == 0) {
                            state = State.CHUNK_DATA_END;
                            remaining = 2;
                        }
                        if (!chunkedError && exchange.parser.failed()) {
                            finish(this, exchange.parser.outcome(), false);
                            return;
                        }
                    }
                    case CHUNK_DATA_END -> {
                        i++; // the CRLF after a chunk's data
                        if (--remaining == 0) {
                            state = State.CHUNK_SIZE;
                            chunkSize = 0;
                            chunkSizeDigits = false;
                            chunkExtension = false;
                        }
                    }
                    case TRAILER -> i = trailer(b, i, to, now);
                    case BODY_LENGTH -> {
                        int n = (int) Math.min(remaining, to - i);
                        exchange.parser.feed(b, i, i + n, now);
                        i += n;
                        remaining -= n;
                        if (exchange.parser.failed()) {
                            finish(this, exchange.parser.outcome(), false);
                            return;
                        }
                        if (remaining == 0) {
                            exchange.parser.endOfStream(now);
                            finish(this, exchange.parser.outcome(), keepAlive);
                            return;
                        }
                    }
                    case BODY_UNTIL_CLOSE -> {
                        exchange.parser.feed(b, i, to, now);
                        i = to;
                        if (exchange.parser.failed()) {
                            finish(this, exchange.parser.outcome(), false);
                            return;
                        }
                    }
                    case ERROR_BODY_LENGTH -> {
                        int n = (int) Math.min(remaining, to - i);
                        collect(b, i, i + n);
                        i += n;
                        remaining -= n;
                        if (remaining == 0) {
                            finish(this, StreamOutcome.failed(CompletionClient.httpError(status, errorBody())), keepAlive);
                            return;
                        }
                    }
                    case ERROR_BODY_UNTIL_CLOSE -> {
                        collect(b, i, to);
                        i = to;
                    }
                    case IDLE, CLOSED -> {
                        return;
                    }
                }
            }
        }

        private int head(byte[] b, int i, int to, long now) {
            while (i < to) {
                if (headLength == head.length) {
                    if (head.length >= MAX_HEADER_BYTES) {
                        failResponse("response headers too large");
                        return to;
                    }
                    head = java.util.Arrays.copyOf(head, head.length * 2);
                }
                head[headLength++] = b[i++];
                if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                        && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                    headersDone(now);
                    return i;
                }
            }
            return i;
        }

        private void headersDone(long now) {
            String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                failResponse("not an HTTP response: " + lines[0]);
                return;
            }
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                failResponse("not an HTTP response: " + lines[0]);
                return;
            }
            if (status >= 100 && status < 200) {
                headLength = 0; // an interim response; the real one follows
                return;
            }
            long contentLength = -1;
            boolean chunked = false;
            keepAlive = !statusLine[0].equals("HTTP/1.0");
            for (int k = 1; k < lines.length; k++) {
                int colon = lines[k].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[k].substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = lines[k].substring(colon + 1).strip().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> keepAlive = value.contains("keep-alive") || !value.contains("close") && keepAlive;
                    default -> { }
                }
            }
            boolean ok = status == 200;
            chunkedError = !ok && chunked;
            if (chunked) {
                state = State.CHUNK_SIZE;
                chunkSize = 0;
                chunkSizeDigits = false;
                chunkExtension = false;
            } else if (contentLength >= 0) {
                remaining = contentLength;
                state = ok ? State.BODY_LENGTH : State.ERROR_BODY_LENGTH;
                if (contentLength == 0) {
                    if (ok) {
                        exchange.parser.endOfStream(now);
                        finish(this, exchange.parser.outcome(), keepAlive);
                    } else {
                        finish(this, StreamOutcome.failed(CompletionClient.httpError(status, new byte[0])), keepAlive);
                    }
                }
            } else {
                keepAlive = false;
                state = ok ? State.BODY_UNTIL_CLOSE : State.ERROR_BODY_UNTIL_CLOSE;
            }
        }

        private int chunkSize(byte[] b, int i, int to, long now) {
            while (i < to) {
                byte c = b[i++];
                if (c == '\n') {
                    if (!chunkSizeDigits) {
                        failResponse("bad chunk size in the response");
                        return to;
                    }
                    if (chunkSize == 0) {
                        state = State.TRAILER;
                        trailerLineLength = 0;
                    } else {
                        state = State.CHUNK_DATA;
                    }
                    return i;
                }
                if (c == '\r' || chunkExtension) {
                    continue;
                }
                if (c == ';') {
                    chunkExtension = true;
                    continue;
                }
                int digit = Character.digit(c, 16);
                if (digit < 0 || chunkSize > (Long.MAX_VALUE >> 4)) {
                    failResponse("bad chunk size in the response");
                    return to;
                }
                chunkSize = chunkSize * 16 + digit;
                chunkSizeDigits = true;
            }
            return i;
        }

        /** After the last chunk: trailer lines until an empty one, then the response is complete. */
        private int trailer(byte[] b, int i, int to, long now) {
            while (i < to) {
                byte c = b[i++];
                if (c == '\n') {
                    if (trailerLineLength == 0) {
                        if (chunkedError) {
                            finish(this, StreamOutcome.failed(CompletionClient.httpError(status, errorBody())), keepAlive);
                        } else {
                            exchange.parser.endOfStream(now);
                            finish(this, exchange.parser.outcome(), keepAlive);
                        }
                        return i;
                    }
                    trailerLineLength = 0;
                } else if (c != '\r') {
                    trailerLineLength++;
                }
            }
            return i;
        }

        private void collect(byte[] b, int from, int to) {
            if (error == null) {
                error = new byte[1024];
            }
            int n = Math.min(to - from, MAX_ERROR_BODY - errorLength);
            if (n <= 0) {
                return;
            }
            if (errorLength + n > error.length) {
                error = java.util.Arrays.copyOf(error, Math.max(error.length * 2, errorLength + n));
            }
            System.arraycopy(b, from, error, errorLength, n);
            errorLength += n;
        }

        byte[] errorBody() {
            return error == null ? new byte[0] : java.util.Arrays.copyOf(error, errorLength);
        }

        private void failResponse(String why) {
            exchange.parser.broken(why);
            finish(this, exchange.parser.outcome(), false);
        }
    }
}
