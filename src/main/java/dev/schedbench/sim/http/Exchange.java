package dev.schedbench.sim.http;

import dev.schedbench.sim.SimRequest;
import dev.schedbench.sim.TokenSink;
import dev.schedbench.sim.http.StreamChunks.Bytes;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One generation request in flight, between the engine and the client's socket.
 *
 * <p>The engine thread only records what happened (a counter, a timestamp, the outcome) and asks the
 * {@link ResponseWriter} to look at this exchange; it never formats or writes, so a slow client can
 * never hold it up. The writer turns everything produced since the last write into one buffer and
 * issues one non-blocking write; while that write is pending, later tokens simply accumulate in the
 * counter and go out together in the next write. Memory per stream is therefore bounded whatever the
 * client does. The exchange is its own write callback.
 *
 * <p>Where the response is chunked HTTP/1.1, every write but the last is framed here as one chunk and
 * written straight to the connection's end point: Jetty's response path costs about a fifth of a
 * writer's time per token and allocates per write (decision 0406). The headers and the last write, with
 * the terminating chunk, go through the response, so Jetty completes the exchange as usual.
 */
abstract sealed class Exchange implements TokenSink, Callback permits StreamingExchange, BufferedExchange {

    private static final int STAMPS = 16;
    /** Enough for a streamed token's chunk; a catching-up write grows it. */
    private static final int INITIAL_BUFFER_BYTES = 512;

    final ServerContext context;
    final GenerationRequest request;
    final String id;
    final long created;
    final long promptKey;
    final Response response;
    private final Optional<EndPoint> chunkedEndPoint;
    private final Callback completion;
    private final ResponseWriters writers;
    private final long arrivalNanos;

    // Engine thread: written before the volatile writes below, read by the writer after reading them.
    private final long[] stamps = new long[STAMPS];
    private long lastTokenNanos;
    private volatile int produced;
    private volatile Outcome outcome;

    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    // Writer state, guarded by this.
    private int sent;
    private boolean writing;
    private boolean finalWritten;
    private Framing framing = Framing.UNCOMMITTED;
    private int writeTokens;
    private final long[] writeStamps = new long[STAMPS];
    /**
     * The bytes of the pending (or last) write, refilled for the next one; made at the first write,
     * so the thousands of requests that wait in the queue do not each hold one.
     */
    private Bytes out;

    Exchange(ServerContext context, GenerationRequest request, String id, Response response,
            Optional<EndPoint> chunkedEndPoint, Callback completion) {
        this.context = context;
        this.request = request;
        this.id = id;
        this.created = System.currentTimeMillis() / 1000;
        this.promptKey = SimTokenizer.OutputVocabulary.promptKey(request.prompt());
        this.response = response;
        this.chunkedEndPoint = chunkedEndPoint;
        this.completion = completion;
        this.writers = context.writers();
        this.arrivalNanos = System.nanoTime();
    }

    SimRequest simRequest() {
        return new SimRequest(id, request.prompt(), request.promptTokens(), request.maxTokens(), request.priority(),
                request.ignoreEos(), request.outputTokensHint());
    }

    /**
     * Who frames the body's chunks. Jetty ends a chunk of its own with the CRLF it puts before the next
     * chunk's size, so chunks written here, each complete in itself, may follow only the headers; the
     * terminating chunk after them is Jetty's, as after any chunk it did not write.
     */
    private enum Framing {
        /** Nothing written yet. */
        UNCOMMITTED,
        /** Jetty wrote the headers alone: chunks may go to the end point directly. */
        HEADERS_ONLY,
        /** Jetty wrote content (the first token came before the headers went out): it frames the rest too. */
        BY_JETTY
    }

    /** The outcome of a request as the engine reported it. */
    sealed interface Outcome {}

    record Finished(String reason, int promptTokens, int completionTokens) implements Outcome {}

    record Failed(String message) implements Outcome {}

    // ---- engine thread ----

    @Override
    public void onToken(int index, long dueNanos) {
        stamps[index % STAMPS] = dueNanos;
        if (index == 0) {
            context.metrics().firstToken(dueNanos - arrivalNanos);
        } else {
            context.metrics().nextToken(dueNanos - lastTokenNanos);
        }
        lastTokenNanos = dueNanos;
        produced = index + 1;
        if (claim()) {
            writers.queueForStep(this);
        }
    }

    @Override
    public void onFinished(String reason, int promptTokens, int completionTokens) {
        // the finish comes with the last token, in the same step
        long endNanos = completionTokens > 0 ? lastTokenNanos : System.nanoTime();
        context.metrics().finished(endNanos - arrivalNanos);
        outcome = new Finished(reason, promptTokens, completionTokens);
        if (claim()) {
            writers.queueForStep(this);
        }
    }

    @Override
    public void onFailed(String message) {
        outcome = new Failed(message);
        schedule();
    }

    /** Asks the writer to flush this exchange now, from any thread. */
    final void schedule() {
        if (claim()) {
            writers.schedule(this);
        }
    }

    /** Whether this call put the exchange on its writer's list (it is on it at most once). */
    private boolean claim() {
        return !closed.get() && scheduled.compareAndSet(false, true);
    }

    // ---- writer thread ----

    /** Writes whatever is new, unless a write is still pending (its completion reschedules). */
    final void flush() {
        scheduled.set(false);
        ByteBuffer buffer;
        boolean last;
        boolean raw;
        synchronized (this) {
            if (writing || finalWritten || closed.get()) {
                return;
            }
            // The outcome first: once it is seen, every token before it is visible in produced.
            Outcome end = outcome;
            int to = produced;
            if (to == sent && end == null) {
                return;
            }
            if (out == null) {
                out = new Bytes(INITIAL_BUFFER_BYTES);
            }
            render(sent, to, end, out.clear());
            if (out.isEmpty()) {
                return;
            }
            writeTokens = 0;
            for (int i = Math.max(firstTimed(sent, to), to - STAMPS); i < to; i++) {
                writeStamps[writeTokens++] = stamps[i % STAMPS];
            }
            sent = to;
            last = end != null;
            finalWritten = last;
            writing = true;
            raw = framing == Framing.HEADERS_ONLY && !last && chunkedEndPoint.isPresent();
            if (framing == Framing.UNCOMMITTED) {
                framing = Framing.BY_JETTY;
            }
            buffer = raw ? out.toChunk() : out.toByteBuffer();
        }
        if (raw) {
            chunkedEndPoint.get().write(this, buffer);
        } else {
            response.write(last, buffer, this);
        }
    }

    /**
     * Appends to {@code out} the bytes for tokens {@code [from, to)} and, when {@code end} is set, the
     * end of the response; appends nothing when there is nothing to send yet.
     */
    abstract void render(int from, int to, Outcome end, Bytes out);

    /**
     * The first of the tokens {@code [from, to)} about to be written whose pacing is measured: the
     * ones the client receives as they come.
     */
    int firstTimed(int from, int to) {
        return from;
    }

    /** Commits the status line and headers at once (streams), so the client sees the 200 immediately. */
    final void commitHeaders() {
        synchronized (this) {
            if (writing || sent > 0 || finalWritten || closed.get()) {
                return;
            }
            writing = true;
            framing = Framing.HEADERS_ONLY;
            writeTokens = 0;
        }
        response.write(false, ByteBuffer.allocate(0), this);
    }

    // ---- write completion: the writer thread or one of Jetty's ----

    @Override
    public final void succeeded() {
        long now = System.nanoTime();
        boolean done;
        boolean behind;
        synchronized (this) {
            writing = false;
            for (int i = 0; i < writeTokens; i++) {
                context.pacing().record(now - writeStamps[i]);
            }
            writeTokens = 0;
            done = finalWritten;
            // what the engine produced while this write was pending went unwritten: flush skipped it
            behind = produced > sent || outcome != null;
        }
        if (done) {
            if (closed.compareAndSet(false, true)) {
                writers.completeAfterPass(completion::succeeded);
            }
            return;
        }
        if (behind) {
            schedule();
        }
    }

    @Override
    public final void failed(Throwable failure) {
        clientGone(failure);
    }

    @Override
    public final InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** The client went away (or its connection failed): stop generating for it and free its blocks. */
    final void clientGone(Throwable cause) {
        if (closed.compareAndSet(false, true)) {
            if (outcome == null) {
                context.engine().abort(id);
            }
            completion.failed(cause);
        }
    }

    final int word(int position) {
        return context.vocabulary().wordIndex(promptKey, position);
    }
}
