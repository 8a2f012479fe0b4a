package dev.schedbench.sim.policy;

/**
 * The preemption loop shared by the seed's round-robin policies ({@code _schedule_rr},
 * {@code _schedule_round_robin}, {@code _schedule_rr_reverse}): running requests that have been
 * running for at least {@code --steps-before-preemption} steps are eligible; while the head of the
 * waiting queue cannot be admitted, the last eligible one is preempted by recomputation and appended
 * to the back of the waiting queue. Eligibility ignores priority: a victim may be better than the head.
 */
final class QuantumPreemption {

    private QuantumPreemption() {}

    static void preemptForHead(PolicyContext context) {
        int head = context.waitingHead();
        int quantum = context.stepsBeforePreemption();
        for (int i = context.runningSize() - 1; i >= 0; i--) {
            int candidate = context.running(i);
            if (context.stepsSinceAdmission(candidate) < quantum) {
                continue;
            }
            if (context.canAdmit(head)) {
                return;
            }
            context.preempt(candidate, Requeue.BACK);
        }
    }
}
