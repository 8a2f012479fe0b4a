package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.Requeue;

/**
 * vLLM 0.6's default step ({@code _schedule_default}, no chunking) and the admission, decode-slot and
 * swap-in mechanics it shares with the chunked planners: {@code _schedule_prefills},
 * {@code _schedule_running}'s tail preemption, {@code _schedule_swapped}.
 */
final class V0Planner {

    private final EngineCore core;

    V0Planner(EngineCore core) {
        this.core = core;
    }

    /** {@code _schedule_default}: prefills, else the policy hook, decodes and swap-ins. */
    void planDefault() {
        core.budgetSeqs = core.running.size();
        if (core.swapped.isEmpty()) {
            schedulePrefills(false);
            appendAdmitted();
        }
        if (core.stepPrefills == 0) {
            core.policy.afterNoPrefill();
            scheduleRunningDefault();
            if (core.runningPreemptions == 0) {
                scheduleSwapped(false);
                appendAdmitted();
            }
        }
    }

    void appendAdmitted() {
        while (!core.admittedScratch.isEmpty()) {
            core.running.add(core.admittedScratch.pollFirst());
        }
    }

    /** {@code _schedule_prefills}: admit from the head of the waiting queue until one does not fit. */
    void schedulePrefills(boolean chunking) {
        int limit = core.settings.promptLimit();
        while (!core.waiting.isEmpty()) {
            int slot = core.waiting.peek();
            int remaining = core.req.length(slot) - core.req.computed[slot];
            int newTokens = chunking ? Math.min(remaining, core.settings.maxNumBatchedTokens() - core.budgetTokens) : remaining;
            if (newTokens > limit) {
                core.waiting.poll();
                core.ignore(slot);
                continue;
            }
            int blocks = core.settings.blocksFor(core.req.length(slot));
            int status = core.canAllocate(blocks);
            if (status == EngineCore.ALLOC_LATER) {
                break;
            }
            if (status == EngineCore.ALLOC_NEVER) {
                core.waiting.poll();
                core.ignore(slot);
                continue;
            }
            if (newTokens == 0 || !core.budgetAllows(newTokens)) {
                break;
            }
            core.waiting.poll();
            core.allocate(slot, blocks);
            core.req.state[slot] = RequestTable.RUNNING;
            core.req.admittedStep[slot] = core.step;
            core.admittedScratch.addLast(slot);
            core.schedule(slot, newTokens, newTokens == remaining);
            core.budgetSeqs++;
            core.stepPrefills++;
        }
    }

    /** {@code _schedule_running} without chunking: one decode token each, tail preemption on block shortage. */
    private void scheduleRunningDefault() {
        int i = 0;
        while (i < core.running.size()) {
            int slot = core.running.get(i);
            int preemptedBefore = core.runningPreemptions;
            boolean fits = makeRoomToAppend(slot, i, core.req.length(slot));
            // running requests were counted in the budget up front
            core.budgetSeqs -= core.runningPreemptions - preemptedBefore;
            if (!fits) {
                break;
            }
            core.schedule(slot, 1, true);
            i++;
        }
    }

    /**
     * Allocates blocks so that the running request at {@code index} holds {@code tokensAfter} tokens,
     * preempting requests from the tail of the running queue (finally the request itself) until it fits.
     *
     * @return false when the request preempted itself
     */
    boolean makeRoomToAppend(int slot, int index, int tokensAfter) {
        while (true) {
            int need = core.settings.blocksFor(tokensAfter) - core.req.gpuBlocks[slot];
            if (need <= core.freeGpuBlocks) {
                if (need > 0) {
                    core.allocate(slot, need);
                }
                return true;
            }
            core.runningPreemptions++;
            if (core.running.size() - 1 > index) {
                core.preempt(core.running.removeLast(), Requeue.FRONT);
            } else {
                core.running.removeAt(index);
                core.preempt(slot, Requeue.FRONT);
                return false;
            }
        }
    }

    /** {@code _schedule_swapped}: resume swapped requests from the front while blocks and budget allow. */
    void scheduleSwapped(boolean chunking) {
        while (!core.swapped.isEmpty()) {
            int slot = core.swapped.peekFirst();
            int blocks = core.settings.blocksFor(core.req.length(slot));
            if (blocks > core.settings.numGpuBlocks()) {
                core.swapped.pollFirst();
                core.freeCpuBlocks += core.req.cpuBlocks[slot];
                core.req.cpuBlocks[slot] = 0;
                core.ignore(slot);
                continue;
            }
            if (core.freeGpuBlocks - blocks < core.settings.watermarkBlocks()) {
                break;
            }
            int remaining = core.req.length(slot) - core.req.computed[slot];
            int newTokens = chunking ? Math.min(remaining, core.settings.maxNumBatchedTokens() - core.budgetTokens) : remaining;
            if (newTokens == 0 || !core.budgetAllows(newTokens)) {
                break;
            }
            core.swapped.pollFirst();
            core.stepSwapBlocks += core.req.cpuBlocks[slot];
            core.freeCpuBlocks += core.req.cpuBlocks[slot];
            core.req.cpuBlocks[slot] = 0;
            core.allocate(slot, blocks);
            core.req.state[slot] = RequestTable.RUNNING;
            core.req.admittedStep[slot] = core.step - core.req.stepsBeforeSwap[slot];
            core.admittedScratch.addLast(slot);
            core.schedule(slot, newTokens, newTokens == remaining);
            core.budgetSeqs++;
        }
    }
}
