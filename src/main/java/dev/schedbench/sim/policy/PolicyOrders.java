package dev.schedbench.sim.policy;

/** The sort keys the vLLM scheduler and the seed's fork use. */
final class PolicyOrders {

    private PolicyOrders() {}

    /** vLLM's {@code _get_priority}: {@code (priority, arrival_time)}. */
    static SlotOrder priorityThenArrival(PolicyContext c) {
        return (a, b) -> {
            int byPriority = Long.compare(c.priority(a), c.priority(b));
            return byPriority != 0 ? byPriority : Long.compare(c.arrivalOrder(a), c.arrivalOrder(b));
        };
    }

    /** The seed's {@code (priority, -waiting_time)}; ties keep their queue order (Python's sort is stable). */
    static SlotOrder priorityThenLongestWaiting(PolicyContext c) {
        return (a, b) -> {
            int byPriority = Long.compare(c.priority(a), c.priority(b));
            return byPriority != 0 ? byPriority : Long.compare(c.waitingSinceStep(a), c.waitingSinceStep(b));
        };
    }

    /** The seed's {@code (-waiting_time, priority)}; ties keep their queue order. */
    static SlotOrder longestWaitingThenPriority(PolicyContext c) {
        return (a, b) -> {
            int byWait = Long.compare(c.waitingSinceStep(a), c.waitingSinceStep(b));
            return byWait != 0 ? byWait : Long.compare(c.priority(a), c.priority(b));
        };
    }
}
