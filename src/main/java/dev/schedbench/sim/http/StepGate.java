package dev.schedbench.sim.http;

import java.util.function.LongSupplier;

/**
 * Tells the writers when the engine has finished delivering a step. The engine delivers a step's
 * tokens, then the step's finishes, in one burst of sink calls, and publishes its snapshot (with the
 * step count) after the burst; a step is complete once the published count reaches it.
 */
final class StepGate {

    private final LongSupplier publishedSteps;
    /** The step whose tokens were delivered last; written by the engine thread only. */
    private volatile long tokenStep;

    /** @param publishedSteps the engine's completed steps, as its latest snapshot says */
    StepGate(LongSupplier publishedSteps) {
        this.publishedSteps = publishedSteps;
    }

    /** A sink call delivered a token of the step in progress; engine thread. */
    void tokenDelivered() {
        long step = publishedSteps.getAsLong() + 1;
        if (step != tokenStep) {
            tokenStep = step;
        }
    }

    /** Whether every token delivered so far belongs to a step the engine has published. */
    boolean settled() {
        return publishedSteps.getAsLong() >= tokenStep;
    }
}
