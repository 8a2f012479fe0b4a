package dev.schedbench.sim.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writer threads and the work they share. During a step the engine lists the exchanges with
 * something new ({@link #queueForStep}); once it has delivered the whole step ({@link #stepDelivered()})
 * the list becomes one batch, the writers wake and take its exchanges one at a time, in the order the
 * engine produced them. Sharing one batch, rather than each writer owning a fixed share of the
 * streams, keeps both cores busy to the batch's last write even when one writer loses its core for a
 * while. Waking once per step, not per token, costs the engine thread no system call per token and
 * keeps a request's last token and its finish in one write. A stream whose write was still pending
 * catches up when that write completes ({@link #schedule}).
 */
final class ResponseWriters implements AutoCloseable {

    private static final int INITIAL_BATCH = 256;

    private final List<ResponseWriter> writers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Batch> batches = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Exchange> catchUps = new ConcurrentLinkedQueue<>();
    /** When the engine will hand over its next step ({@link System#nanoTime()}); 0 before the first. */
    private volatile long nextHandoverNanos;
    /** The step being listed; engine thread only. */
    private Exchange[] listing = new Exchange[INITIAL_BATCH];
    private int listed;

    /** One step's exchanges, handed out by index. */
    private record Batch(Exchange[] exchanges, int size, AtomicInteger next) {}

    ResponseWriters(int count) {
        for (int i = 0; i < count; i++) {
            writers.add(new ResponseWriter("sim-http-writer-" + i, this));
        }
    }

    /** One writer per core the JVM may use, up to four: beyond that the engine's step rate binds. */
    static int defaultCount() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    }

    /** Lists {@code exchange} for the end of the step being delivered; engine thread, no wake-up. */
    void queueForStep(Exchange exchange) {
        if (listed == listing.length) {
            listing = Arrays.copyOf(listing, listed * 2);
        }
        listing[listed++] = exchange;
    }

    /** The engine will hand over its next step at {@code handoverNanos}; engine thread. */
    void expect(long handoverNanos) {
        nextHandoverNanos = handoverNanos;
    }

    long nextHandoverNanos() {
        return nextHandoverNanos;
    }

    /** The engine has delivered a step: write what it produced. Engine thread. */
    void stepDelivered() {
        if (listed == 0) {
            return;
        }
        batches.add(new Batch(listing, listed, new AtomicInteger()));
        listing = new Exchange[Math.max(INITIAL_BATCH, listed)];
        listed = 0;
        wakeAll();
    }

    /** Asks for {@code exchange} to be flushed soon; any thread, at most once until it is flushed. */
    void schedule(Exchange exchange) {
        catchUps.add(exchange);
        wakeAll();
    }

    /**
     * Runs {@code completion} after the calling writer has run out of streams to write, if a writer is
     * calling; at once otherwise. Tokens still due should not wait behind a finished stream's clean-up.
     */
    void completeAfterPass(Runnable completion) {
        Optional<ResponseWriter> current = ResponseWriter.current();
        if (current.isPresent()) {
            current.get().defer(completion);
        } else {
            completion.run();
        }
    }

    /** The next exchange to flush: the oldest step's first, then streams catching up; empty if none. */
    Optional<Exchange> next() {
        for (Batch batch = batches.peek(); batch != null; batch = batches.peek()) {
            int index = batch.next().getAndIncrement();
            if (index < batch.size()) {
                return Optional.of(batch.exchanges()[index]);
            }
            batches.remove(batch);
        }
        return Optional.ofNullable(catchUps.poll());
    }

    boolean hasWork() {
        return !batches.isEmpty() || !catchUps.isEmpty();
    }

    private void wakeAll() {
        for (ResponseWriter writer : writers) {
            writer.wake();
        }
    }

    @Override
    public void close() {
        writers.forEach(ResponseWriter::close);
    }
}
