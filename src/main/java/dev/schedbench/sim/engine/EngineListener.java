package dev.schedbench.sim.engine;

/**
 * Receives what an {@link EngineCore} produces, on the thread driving it. Callbacks must be quick and
 * must not call back into the core except through its read-only accessors.
 */
public interface EngineListener {

    /** The request in {@code slot} produced output token {@code index} (0-based) at the end of a step. */
    void onToken(int slot, int index, long timeNanos);

    /** The request finished; its slot is reused after this returns. */
    void onFinished(int slot, FinishReason reason, long timeNanos);

    /** The engine gave up on the request (out of CPU swap space); its slot is reused after this returns. */
    default void onFailed(int slot, String message, long timeNanos) {}

    /** The request was preempted (recomputed or swapped out) while the step starting at {@code timeNanos} was planned. */
    default void onPreempted(int slot, long timeNanos) {}

    /** A step was planned; {@code step} is valid only during the call. */
    default void onStep(StepView step) {}
}
