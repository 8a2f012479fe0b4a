package dev.schedbench.sim.policy;

/**
 * The seed's {@code priority_round_robin} ({@code _schedule_rr}): on a step without prefills, sort the
 * waiting queue by {@code (priority, -waiting_time)} and the running queue by
 * {@code (priority, arrival)}, then preempt quantum-expired running requests (worst first, to the back
 * of the waiting queue) until the best waiting request can be admitted. With the oracle output length
 * as priority this is shortest-job-first admission with round-robin time slices.
 */
public final class PriorityRoundRobin implements SchedulingPolicy {

    private final PolicyContext context;
    private final SlotOrder waitingOrder;
    private final SlotOrder runningOrder;

    public PriorityRoundRobin(PolicyContext context) {
        this(context, PolicyOrders.priorityThenLongestWaiting(context));
    }

    PriorityRoundRobin(PolicyContext context, SlotOrder waitingOrder) {
        this.context = context;
        this.waitingOrder = waitingOrder;
        this.runningOrder = PolicyOrders.priorityThenArrival(context);
    }

    @Override
    public void afterNoPrefill() {
        if (context.waitingSize() == 0) {
            return;
        }
        context.sortWaiting(waitingOrder);
        context.sortRunning(runningOrder);
        QuantumPreemption.preemptForHead(context);
    }

    @Override
    public V1Queueing v1Queueing() {
        return V1Queueing.PRIORITY;
    }
}
