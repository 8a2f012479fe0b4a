package dev.schedbench.sim;

import dev.schedbench.model.ServerConfig;

/**
 * A simulated GPU running in wall-clock time: the face the simulator's HTTP server talks to. Requests
 * may be submitted and aborted from any thread; tokens reach their sinks from the engine's own thread.
 */
public interface LiveEngine extends AutoCloseable {

    /**
     * Queues a request. Validation vLLM does at the API (prompt too long, non-zero priority under
     * fcfs) throws {@link dev.schedbench.model.UserError} with vLLM's message, before anything is queued.
     */
    void submit(SimRequest request, TokenSink sink);

    /** Drops a request wherever it is (the client went away) and frees its KV blocks. No-op if finished. */
    void abort(String requestId);

    EngineSnapshot snapshot();

    /**
     * Runs {@code action} on the engine thread after each step, once the step's tokens and finishes
     * have all reached their sinks and its snapshot is published: where a server batches its writes.
     * Replaces any action set before.
     */
    void afterEachStep(Runnable action);

    ServerConfig config();

    /** Stops the engine thread; requests still in flight get {@link TokenSink#onFailed}. */
    @Override
    void close();
}
