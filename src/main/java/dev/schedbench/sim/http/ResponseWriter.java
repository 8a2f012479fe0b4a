package dev.schedbench.sim.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that formats and writes tokens for the exchanges it owns. During a step the engine only
 * lists the exchanges that have something new ({@link #queueForStep}); once the step is delivered
 * ({@link #stepDelivered()}) the writer wakes, takes the list in one swap and issues one non-blocking
 * write for each. Waking once per step, not per token, keeps a request's last token and its finish in
 * one chunk and one write, and costs the engine thread no system call per token. A stream whose
 * client is slow still has a write pending and is skipped; it catches up with one larger write when
 * that write completes ({@link #schedule}).
 */
final class ResponseWriter implements AutoCloseable {

    /** Listed exchanges, newest first, linked through {@link Exchange#nextReady}. */
    private final AtomicReference<Exchange> ready = new AtomicReference<>();
    /** Response completions held back until the current pass has written every stream; this thread only. */
    private final List<Runnable> deferred = new ArrayList<>();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean running = true;

    ResponseWriter(String name) {
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** Lists {@code exchange} for the end of the step being delivered; engine thread, no wake-up. */
    void queueForStep(Exchange exchange) {
        push(exchange);
    }

    /** The engine has delivered a whole step: write what it produced. */
    void stepDelivered() {
        wakeIfListed();
    }

    /** Asks for {@code exchange} to be flushed soon; any thread, at most once until it is flushed. */
    void schedule(Exchange exchange) {
        push(exchange);
        wakeIfListed();
    }

    private void push(Exchange exchange) {
        Exchange head;
        do {
            head = ready.get();
            exchange.nextReady = head;
        } while (!ready.compareAndSet(head, exchange));
    }

    private void wakeIfListed() {
        if (parked && ready.get() != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Runs {@code completion} (ending a response: Jetty's bookkeeping, getting the connection ready for
     * its next request) once this writer has written the rest of the step, if it is writing one on this
     * thread; at once otherwise. Tokens still due should not wait behind a finished stream's clean-up.
     */
    void completeAfterPass(Runnable completion) {
        if (Thread.currentThread() == thread) {
            deferred.add(completion);
        } else {
            completion.run();
        }
    }

    private void runDeferred() {
        for (int i = 0; i < deferred.size(); i++) {
            try {
                deferred.get(i).run();
            } catch (RuntimeException e) {
                // one response failing to complete must not stop this writer
            }
        }
        deferred.clear();
    }

    private void loop() {
        while (running) {
            Exchange listed = ready.getAndSet(null);
            if (listed != null) {
                flushAll(reverse(listed));
                runDeferred();
                continue;
            }
            parked = true;
            // re-checked after announcing the park: a wake-up in between finds parked set and unparks
            if (ready.get() == null && running) {
                LockSupport.park(this);
            }
            parked = false;
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
