package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.PolicyContext;
import dev.schedbench.sim.policy.Requeue;
import dev.schedbench.sim.policy.SlotOrder;

/** What a policy sees of an {@link EngineCore} while a step is planned. */
final class EnginePolicyContext implements PolicyContext {

    private final EngineCore core;
    private final RequestTable req;

    EnginePolicyContext(EngineCore core) {
        this.core = core;
        this.req = core.req;
    }

    @Override
    public long priority(int slot) {
        return req.priority[slot];
    }

    @Override
    public long arrivalOrder(int slot) {
        return req.arrivalOrder[slot];
    }

    @Override
    public long waitingSinceStep(int slot) {
        return req.waitingSinceStep[slot];
    }

    @Override
    public long stepsSinceAdmission(int slot) {
        return core.step - req.admittedStep[slot];
    }

    @Override
    public int stepsBeforePreemption() {
        return core.settings.stepsBeforePreemption();
    }

    @Override
    public int waitingSize() {
        return core.waiting.size();
    }

    @Override
    public int waitingHead() {
        return core.waiting.peek();
    }

    @Override
    public void sortWaiting(SlotOrder order) {
        core.waiting.sort(order);
    }

    @Override
    public int runningSize() {
        return core.running.size();
    }

    @Override
    public int running(int index) {
        return core.running.get(index);
    }

    @Override
    public void sortRunning(SlotOrder order) {
        core.running.sort(order);
    }

    @Override
    public boolean canAdmit(int slot) {
        int newTokens = req.length(slot) - req.computed[slot];
        return newTokens > 0 && core.canAllocate(core.settings.blocksFor(req.length(slot))) == EngineCore.ALLOC_OK
                && core.budgetAllows(newTokens);
    }

    @Override
    public void preempt(int slot, Requeue requeue) {
        if (core.running.remove(slot) < 0) {
            throw new IllegalArgumentException("slot " + slot + " is not running");
        }
        // the default path counts running requests in the budget before the policy runs
        core.budgetSeqs--;
        core.preempt(slot, requeue);
    }
}
