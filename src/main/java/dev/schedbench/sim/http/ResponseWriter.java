package dev.schedbench.sim.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that formats and writes tokens. The engine publishes a step's tokens in a burst of
 * sink calls; this thread wakes on the first, lets the burst settle for a few microseconds, takes
 * every exchange scheduled so far in one swap and issues one non-blocking write for each that has
 * something new. Taking a settled batch keeps a request's last token and its finish in the same
 * write. A stream whose client is slow still has a write pending and is skipped; it catches up with
 * one larger write when that write completes.
 */
final class ResponseWriter implements AutoCloseable {

    /** How long the signal count must stay unchanged before the burst counts as over. */
    private static final long QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(8);
    /** The longest the writer waits for a burst to settle. */
    private static final long MAX_SETTLE_NANOS = TimeUnit.MICROSECONDS.toNanos(150);

    /** Scheduled exchanges, newest first, linked through {@link Exchange#nextReady}. */
    private final AtomicReference<Exchange> ready = new AtomicReference<>();
    private final AtomicLong signals = new AtomicLong();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean running = true;

    ResponseWriter(String name) {
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** Asks for {@code exchange} to be flushed soon; any thread, at most once until it is flushed. */
    void schedule(Exchange exchange) {
        Exchange head;
        do {
            head = ready.get();
            exchange.nextReady = head;
        } while (!ready.compareAndSet(head, exchange));
        signals.incrementAndGet();
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (running) {
            if (ready.get() == null) {
                parked = true;
                if (ready.get() == null && running) {
                    LockSupport.park(this);
                }
                parked = false;
                continue;
            }
            settle();
            flushAll(reverse(ready.getAndSet(null)));
        }
    }

    private static void flushAll(Exchange first) {
        for (Exchange exchange = first; exchange != null; ) {
            Exchange next = exchange.nextReady;
            exchange.nextReady = null;
            try {
                exchange.flush();
            } catch (RuntimeException e) {
                exchange.clientGone(e);
            }
            exchange = next;
        }
    }

    /** Oldest first, so streams are served in the order the engine produced for them. */
    private static Exchange reverse(Exchange newestFirst) {
        Exchange reversed = null;
        for (Exchange exchange = newestFirst; exchange != null; ) {
            Exchange next = exchange.nextReady;
            exchange.nextReady = reversed;
            reversed = exchange;
            exchange = next;
        }
        return reversed;
    }

    private void settle() {
        long start = System.nanoTime();
        long seen = signals.get();
        long quietSince = start;
        while (true) {
            Thread.onSpinWait();
            long now = System.nanoTime();
            long current = signals.get();
            if (current != seen) {
                seen = current;
                quietSince = now;
            } else if (now - quietSince >= QUIET_NANOS || now - start >= MAX_SETTLE_NANOS) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
