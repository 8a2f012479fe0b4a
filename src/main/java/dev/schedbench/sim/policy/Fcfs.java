package dev.schedbench.sim.policy;

/**
 * vLLM's default {@code fcfs}: the waiting queue is never sorted, so requests are admitted in arrival
 * order except that preempted ones go back to the front; the victim of a KV shortage is the request
 * admitted last.
 */
public final class Fcfs implements SchedulingPolicy {

    @Override
    public void afterNoPrefill() {}

    @Override
    public V1Queueing v1Queueing() {
        return V1Queueing.FIFO;
    }
}
