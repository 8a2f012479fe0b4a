package dev.schedbench.sim.engine;

/** How a request ended, with vLLM's {@code finish_reason} spelling. */
public enum FinishReason {
    /** It reached its natural end (end of sequence). */
    STOP("stop"),
    /** It reached {@code max_tokens}, or the scheduler ignored it (vLLM's FINISHED_IGNORED reports length too). */
    LENGTH("length");

    private final String vllmName;

    FinishReason(String vllmName) {
        this.vllmName = vllmName;
    }

    public String vllmName() {
        return vllmName;
    }
}
