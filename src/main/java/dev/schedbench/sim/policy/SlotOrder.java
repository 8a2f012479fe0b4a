package dev.schedbench.sim.policy;

/**
 * A total order on requests, named by their engine slots. Implementations read the request's keys
 * from a {@link PolicyContext}; they must not allocate, because the engine sorts on every step.
 */
@FunctionalInterface
public interface SlotOrder {

    /** Negative when {@code a} is served before {@code b}, positive when after, zero for a tie (ties keep their queue order). */
    int compare(int a, int b);
}
