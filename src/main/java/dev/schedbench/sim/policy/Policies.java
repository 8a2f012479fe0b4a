package dev.schedbench.sim.policy;

import dev.schedbench.model.Policy;

/** The simulator's implementation of each {@link Policy}. */
public final class Policies {

    private Policies() {}

    public static SchedulingPolicy create(Policy policy, PolicyContext context) {
        return switch (policy) {
            case FCFS -> new Fcfs();
            case PRIORITY -> new StrictPriority(context);
            case PRIORITY_ROUND_ROBIN -> new PriorityRoundRobin(context);
            case ROUND_ROBIN -> new RoundRobin(context);
            case PRIORITY_ROUND_ROBIN_REVERSE -> new PriorityRoundRobinReverse(context);
        };
    }
}
