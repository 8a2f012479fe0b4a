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
     * How each step is handed over from now on: how early its tokens reach their sinks, and what runs
     * on the engine thread once they all have (where a server batches its writes). Replaces any
     * delivery set before; the default is {@link StepDelivery#AT_STEP_END}.
     */
    void deliverSteps(StepDelivery delivery);

    ServerConfig config();

    /** Stops the engine thread; requests still in flight get {@link TokenSink#onFailed}. */
    @Override
    void close();
}
