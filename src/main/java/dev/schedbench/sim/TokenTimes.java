package dev.schedbench.sim;

/** Whether a virtual run keeps every token's time or only each request's first and last. */
public enum TokenTimes {
    /** Every token's time (needed for inter-token latencies). */
    ALL,
    /** First and last token only: TTFT, TPOT and E2E latency, at a fraction of the memory. */
    ENDPOINTS
}
