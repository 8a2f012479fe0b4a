package dev.schedbench.sim.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The one thread that formats and writes tokens. The engine delivers a step's tokens, then the
 * step's finishes, in one burst of sink calls, and publishes its snapshot (with the step count) when
 * the burst is over. This thread wakes on the first call, waits until that step has been published,
 * takes every exchange scheduled so far in one swap and issues one non-blocking write for each that
 * has something new. Waiting for the step keeps a request's last token and its finish in one chunk
 * and one write. A stream whose client is slow still has a write pending and is skipped; it catches
 * up with one larger write when that write completes.
 */
final class ResponseWriter implements AutoCloseable {

    /** Without a published step, a burst counts as over once no sink call came for this long. */
    private static final long QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The longest the writer waits for a step to be published. */
    private static final long MAX_SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    /** Scheduled exchanges, newest first, linked through {@link Exchange#nextReady}. */
    private final AtomicReference<Exchange> ready = new AtomicReference<>();
    private final AtomicLong signals = new AtomicLong();
    private final LongSupplier publishedSteps;
    /** The engine step whose tokens were delivered last; written by the engine thread only. */
    private volatile long tokenStep;
    /** Whether the engine publishes each step after delivering its tokens; writer thread. */
    private boolean publishes = true;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean running = true;

    /** @param publishedSteps the engine's completed steps, as its latest snapshot says */
    ResponseWriter(String name, LongSupplier publishedSteps) {
        this.publishedSteps = publishedSteps;
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

    /** A sink call delivered a token of the step in progress; engine thread. */
    void tokenDelivered() {
        long step = publishedSteps.getAsLong() + 1;
        if (step != tokenStep) {
            tokenStep = step;
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

    /**
     * Waits until the step being delivered has been published. An engine that turns out not to
     * publish its steps (the wait ran out) is from then on taken to be done when its burst goes quiet.
     */
    private void settle() {
        long start = System.nanoTime();
        long seen = signals.get();
        long quietSince = start;
        while (true) {
            long wanted = tokenStep;
            if (publishedSteps.getAsLong() >= wanted) {
                return;
            }
            long now = System.nanoTime();
            long current = signals.get();
            if (current != seen) {
                seen = current;
                quietSince = now;
            } else if (!publishes && now - quietSince >= QUIET_NANOS) {
                return;
            }
            if (now - start >= MAX_SETTLE_NANOS) {
                publishes = false;
                return;
            }
            if (now - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                // a long delivery pass: leave the core to the engine thread
                LockSupport.parkNanos(this, PARK_NANOS);
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
