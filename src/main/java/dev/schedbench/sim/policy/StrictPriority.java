package dev.schedbench.sim.policy;

/**
 * vLLM's {@code priority} ({@code Scheduler._schedule_priority_preemption}, PR #5958): on every step
 * without prefills, sort the running queue by {@code (priority, arrival)}; while the worst running
 * request is worse than the head of the (lazily sorted) waiting queue and the head cannot be admitted
 * (KV watermark, token budget or a full batch), preempt that running request to the front of the
 * waiting queue; finally sort the waiting queue. New arrivals therefore sit behind older waiters until
 * the next step without prefills.
 */
public final class StrictPriority implements SchedulingPolicy {

    private final PolicyContext context;
    private final SlotOrder byPriorityThenArrival;

    public StrictPriority(PolicyContext context) {
        this.context = context;
        this.byPriorityThenArrival = PolicyOrders.priorityThenArrival(context);
    }

    @Override
    public void afterNoPrefill() {
        context.sortRunning(byPriorityThenArrival);
        int head = context.waitingHead();
        if (head >= 0) {
            while (context.runningSize() > 0) {
                int worst = context.running(context.runningSize() - 1);
                if (byPriorityThenArrival.compare(worst, head) <= 0 || context.canAdmit(head)) {
                    break;
                }
                context.preempt(worst, Requeue.FRONT);
            }
        }
        context.sortWaiting(byPriorityThenArrival);
    }

    @Override
    public V1Queueing v1Queueing() {
        return V1Queueing.PRIORITY;
    }
}
