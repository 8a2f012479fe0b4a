package dev.schedbench.sim.policy;

/**
 * What a policy sees of the engine while a step is being planned: the requests' keys, the waiting
 * and running queues, and the step's budget. Requests are named by engine slots (small ints).
 *
 * <p>The waiting queue behaves like vLLM's deque: {@link #sortWaiting} is a stable sort of the whole
 * queue, {@link #waitingHead} is its first element, requests pushed with {@link Requeue#FRONT} go
 * before it and those with {@link Requeue#BACK} after everything.
 */
public interface PolicyContext {

    /** The request's {@code priority} (lower is served earlier). */
    long priority(int slot);

    /** Arrival order: strictly increasing in the order requests reached the engine. */
    long arrivalOrder(int slot);

    /**
     * The step in which the request last entered the waiting queue; a smaller value means a larger
     * {@code waiting_time} in the seed's scheduler (which adds one per step to every waiting request).
     */
    long waitingSinceStep(int slot);

    /**
     * Steps the request has spent in the running queue since it was last admitted (the seed's
     * {@code tokens_produced_since_last_schedule}).
     */
    long stepsSinceAdmission(int slot);

    /** The seed's {@code --steps-before-preemption}. */
    int stepsBeforePreemption();

    int waitingSize();

    /** First waiting request, or -1 when none waits. */
    int waitingHead();

    /** Stable sort of the waiting queue. */
    void sortWaiting(SlotOrder order);

    int runningSize();

    /** The {@code index}-th running request, 0 being the front of vLLM's running deque. */
    int running(int index);

    /** Stable sort of the running queue. */
    void sortRunning(SlotOrder order);

    /**
     * Whether the request could be admitted now: it needs tokens, its blocks can be allocated above the
     * watermark, and the step's token and sequence budgets hold ({@code can_allocate == OK and
     * budget.can_schedule}).
     */
    boolean canAdmit(int slot);

    /**
     * Preempts a running request: its KV blocks are freed (recompute) or swapped out, it leaves the
     * running queue and the budget, and a recomputed request is queued where {@code requeue} says.
     */
    void preempt(int slot, Requeue requeue);
}
