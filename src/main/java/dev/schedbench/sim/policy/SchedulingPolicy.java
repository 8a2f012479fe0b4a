package dev.schedbench.sim.policy;

/**
 * A scheduling policy, as the vLLM V0 scheduler and the seed's fork plug them in: the scheduler admits
 * prefills from the head of the waiting queue, and on a step that admitted none it calls the policy,
 * which may reorder the queues and preempt running requests before the decodes are scheduled.
 * A new policy is one new class plus its name in {@link Policies}.
 */
public interface SchedulingPolicy {

    /**
     * vLLM's hook after {@code _schedule_prefills} on a default-path step that scheduled no prefill.
     * A policy is bound to its engine's context when it is created ({@link Policies#create}).
     */
    void afterNoPrefill();

    /** The queue discipline this policy becomes on a V1-style engine. */
    V1Queueing v1Queueing();
}
