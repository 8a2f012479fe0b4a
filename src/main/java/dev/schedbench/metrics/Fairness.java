package dev.schedbench.metrics;

/**
 * How evenly a set of requests was slowed down. A request's slowdown is its end-to-end latency per
 * output token divided by the smallest such value in the run, i.e. its latency against a service time
 * estimated as its output length at the best pace any request of the run got (see the decision record
 * on fairness). 1 is "served as fast as the luckiest request".
 *
 * @param requests      how many requests entered (successful ones with at least one output token)
 * @param jainIndex     Jain's index of the slowdowns, {@code (Σx)² / (n·Σx²)}: 1 when all equal, 1/n at worst
 * @param meanSlowdown  mean slowdown
 * @param medianSlowdown median slowdown
 * @param maxSlowdown   largest slowdown
 */
public record Fairness(int requests, double jainIndex, double meanSlowdown, double medianSlowdown, double maxSlowdown) {

    /** How the slowdown is defined, written into result files beside the numbers. */
    public static final String SLOWDOWN_DEFINITION =
            "(e2el / output_tokens) / min over successful requests of (e2el / output_tokens)";
}
