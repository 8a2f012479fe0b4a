package dev.schedbench.sim.policy;

/**
 * The seed's {@code priority_round_robin_reverse} ("RR-SJF", {@code _schedule_rr_reverse}): the same
 * quantum preemption as {@link PriorityRoundRobin}, with the waiting queue sorted longest-waiting first
 * and ties broken by priority.
 */
public final class PriorityRoundRobinReverse implements SchedulingPolicy {

    private final PriorityRoundRobin delegate;

    public PriorityRoundRobinReverse(PolicyContext context) {
        this.delegate = new PriorityRoundRobin(context, PolicyOrders.longestWaitingThenPriority(context));
    }

    @Override
    public void afterNoPrefill() {
        delegate.afterNoPrefill();
    }

    @Override
    public V1Queueing v1Queueing() {
        return V1Queueing.PRIORITY;
    }
}
