package dev.schedbench.sim.http;

import dev.schedbench.sim.ShortTimeSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread writing tokens: it takes exchanges from the shared {@link ResponseWriters} work until
 * there are none, issuing one non-blocking write per exchange with everything new, then finishes the
 * responses that ended meanwhile and parks until more work comes.
 */
final class ResponseWriter implements AutoCloseable {

    private static final ThreadLocal<ResponseWriter> CURRENT = new ThreadLocal<>();
    /** How long before a handover a writer stops parking and waits for it awake. */
    private static final long READY_NANOS = TimeUnit.MICROSECONDS.toNanos(150);
    /** How long past an expected handover a writer keeps waiting awake. */
    private static final long LATE_HANDOVER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ResponseWriters work;
    /** Response completions held back until this writer has run out of streams; this thread only. */
    private final List<Runnable> deferred = new ArrayList<>();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean running = true;

    ResponseWriter(String name, ResponseWriters work) {
        this.work = work;
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** The writer whose thread is calling, if any. */
    static Optional<ResponseWriter> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    void defer(Runnable completion) {
        deferred.add(completion);
    }

    /** Unparks this writer if it is waiting for work; any thread. */
    void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        CURRENT.set(this);
        // a writer runs for microseconds per step, but at the step's end: let it preempt longer-running work
        ShortTimeSlice.requestForCurrentThread(ShortTimeSlice.PACING);
        while (running) {
            Optional<Exchange> next = work.next();
            if (next.isPresent()) {
                flush(next.get());
                continue;
            }
            runDeferred();
            if (awaitHandover()) {
                continue;
            }
            parked = true;
            // re-checked after announcing the park: work listed in between finds parked set and unparks
            if (!work.hasWork() && running) {
                long untilReady = work.nextHandoverNanos() - READY_NANOS - System.nanoTime();
                if (untilReady > 0) {
                    LockSupport.parkNanos(this, untilReady);
                } else {
                    LockSupport.park(this);
                }
            }
            parked = false;
        }
        runDeferred();
    }

    /**
     * Within {@link #READY_NANOS} of the next handover, waits for it awake (yielding the core to
     * anyone who needs it) rather than parked: waking a parked thread takes tens to hundreds of
     * microseconds on a virtual machine, and varies. True if work came.
     */
    private boolean awaitHandover() {
        long handover = work.nextHandoverNanos();
        long now = System.nanoTime();
        if (handover - now > READY_NANOS || now - handover > LATE_HANDOVER_NANOS) {
            return false;
        }
        while (running && !work.hasWork() && System.nanoTime() - handover < LATE_HANDOVER_NANOS) {
            Thread.yield();
        }
        return work.hasWork();
    }

    private static void flush(Exchange exchange) {
        try {
            exchange.flush();
        } catch (RuntimeException e) {
            exchange.clientGone(e);
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
