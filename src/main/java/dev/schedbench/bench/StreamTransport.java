package dev.schedbench.bench;

/** How streamed completion requests travel: {@code java.net.http} or the workbench's own NIO loop. */
interface StreamTransport extends AutoCloseable {

    /**
     * Sends one request and blocks (cheaply, on a virtual thread) until its stream ends; every failure
     * is the outcome's error, never an exception.
     *
     * @param sendNanos the {@link System#nanoTime()} taken just before this call; latencies count from it
     */
    StreamOutcome stream(byte[] payload, long sendNanos, TokenTally tally);

    /**
     * Starts one request and returns at once; the future completes (never exceptionally) when the
     * stream ends. Completion may run on the transport's I/O thread: callers hand heavy work elsewhere.
     */
    java.util.concurrent.CompletableFuture<StreamOutcome> start(byte[] payload, long sendNanos, TokenTally tally);

    @Override
    void close();
}
