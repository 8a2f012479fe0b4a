package dev.schedbench.sim;

/**
 * Where an engine delivers one request's output. Called on the engine's thread in step order; an
 * implementation must never block (queue the bytes and return), or every other stream stalls.
 */
public interface TokenSink {

    /**
     * Output token number {@code index} (0-based) was produced by the current step, which ends at
     * {@code dueNanos} ({@link System#nanoTime()}): the moment the token is due at the client. It may
     * still lie ahead, by the step's {@link StepDelivery#leadNanos() lead}.
     */
    void onToken(int index, long dueNanos);

    /** The request finished normally; {@code reason} is vLLM's finish_reason ({@code stop} or {@code length}). */
    void onFinished(String reason, int promptTokens, int completionTokens);

    /** The engine could not serve the request (too long for the model, cancelled by shutdown …). */
    void onFailed(String message);
}
