package dev.schedbench.sim.policy;

/**
 * The seed's {@code round_robin} ({@code _schedule_round_robin}): FCFS order, never sorted, plus the
 * quantum preemption of {@link PriorityRoundRobin}: victims are the quantum-expired running requests
 * nearest the end of the running queue, appended to the back of the waiting queue.
 */
public final class RoundRobin implements SchedulingPolicy {

    private final PolicyContext context;

    public RoundRobin(PolicyContext context) {
        this.context = context;
    }

    @Override
    public void afterNoPrefill() {
        if (context.waitingSize() == 0) {
            return;
        }
        QuantumPreemption.preemptForHead(context);
    }

    @Override
    public V1Queueing v1Queueing() {
        return V1Queueing.FIFO;
    }
}
