package dev.schedbench.sim.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that formats and writes tokens. The engine publishes a step's tokens in a burst of
 * sink calls; this thread wakes on the first, lets the burst settle for a few microseconds, then
 * issues one non-blocking write per stream that has something new. A stream whose client is slow
 * still has a write pending and is skipped; it catches up with one larger write when that completes.
 */
final class ResponseWriter implements AutoCloseable {

    /** How long the signal count must stay unchanged before the burst counts as over. */
    private static final long QUIET_NANOS = TimeUnit.MICROSECONDS.toNanos(8);
    /** The longest the writer waits for a burst to settle. */
    private static final long MAX_SETTLE_NANOS = TimeUnit.MICROSECONDS.toNanos(150);

    private final ConcurrentLinkedQueue<Exchange> ready = new ConcurrentLinkedQueue<>();
    private final AtomicLong signals = new AtomicLong();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean running = true;

    ResponseWriter(String name) {
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** Asks for {@code exchange} to be flushed soon; any thread. */
    void schedule(Exchange exchange) {
        ready.add(exchange);
        signals.incrementAndGet();
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (running) {
            if (ready.isEmpty()) {
                parked = true;
                if (ready.isEmpty() && running) {
                    LockSupport.park(this);
                }
                parked = false;
                continue;
            }
            settle();
            Exchange exchange;
            while ((exchange = ready.poll()) != null) {
                try {
                    exchange.flush();
                } catch (RuntimeException e) {
                    exchange.clientGone(e);
                }
            }
        }
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
