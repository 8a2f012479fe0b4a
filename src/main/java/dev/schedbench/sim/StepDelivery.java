package dev.schedbench.sim;

/**
 * How a live engine hands each finished step to the layer that writes its tokens out. Writing a full
 * batch to hundreds of sockets takes a few milliseconds; handing the step over a little before its
 * modelled end lets those writes straddle the end instead of all trailing it, so each token reaches
 * its client as close as the machine allows to the moment the model says it exists.
 */
public interface StepDelivery {

    /** Hands every step over at its end and does nothing after it. */
    StepDelivery AT_STEP_END = new StepDelivery() {
        @Override
        public long leadNanos() {
            return 0;
        }

        @Override
        public void expect(long handoverNanos) {}

        @Override
        public void delivered() {}
    };

    /**
     * How long before a step's end to hand its tokens over. The engine caps it at half the step, so a
     * token is never delivered before the step is half done.
     */
    long leadNanos();

    /**
     * The step being run will be handed over at {@code handoverNanos} ({@link System#nanoTime()}), so
     * whatever writes it can be ready then; engine thread.
     */
    void expect(long handoverNanos);

    /** Every token and finish of the step has reached its sink and the snapshot is published; engine thread. */
    void delivered();
}
