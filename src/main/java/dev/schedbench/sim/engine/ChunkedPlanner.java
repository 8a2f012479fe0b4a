package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.Requeue;

/**
 * The two step planners that mix decodes with prefill chunks under one token budget.
 *
 * <p>{@link #planV0}: vLLM 0.6's {@code _schedule_chunked_prefill}. Running requests first (decodes and
 * unfinished prefill chunks, tail preemption on block shortage), then swapped ones if nothing was
 * preempted, then new prefills from the head of the waiting queue, which is never sorted: priorities
 * are ignored, as in vLLM (issue #10101). Blocks for a whole prompt are allocated at admission.
 *
 * <p>{@link #planV1}: the V1 scheduler. Running requests first; when one cannot get blocks, the victim
 * is the last running request (FIFO) or the worst {@code (priority, arrival)} (priority), possibly one
 * already scheduled in this step; waiting requests are admitted only if nothing was preempted and the
 * batch is not full, from a FIFO or a {@code (priority, arrival)} ordered queue. Blocks are allocated
 * per chunk. A better waiting request never preempts a running one.
 */
final class ChunkedPlanner {

    private final EngineCore core;
    private final V0Planner v0;
    private final RequestTable req;
    private int[] scratch = new int[64];

    ChunkedPlanner(EngineCore core, V0Planner v0) {
        this.core = core;
        this.v0 = v0;
        this.req = core.req;
    }

    void planV0() {
        RunningQueue running = core.running;
        int maxTokens = core.settings.maxNumBatchedTokens();
        int scheduled = 0;
        while (scheduled < running.size()) {
            int slot = running.get(scheduled);
            int remaining = req.length(slot) - req.computed[slot];
            int newTokens = Math.min(remaining, maxTokens - core.budgetTokens);
            if (newTokens == 0) {
                break;
            }
            if (!v0.makeRoomToAppend(slot, scheduled, req.length(slot))) {
                break;
            }
            core.schedule(slot, newTokens, newTokens == remaining);
            core.budgetSeqs++;
            scheduled++;
        }
        int count = running.size();
        int[] previous = copyOf(running);
        running.clear();
        // vLLM keeps the requests the budget did not reach at the front of the running queue
        for (int i = scheduled; i < count; i++) {
            running.add(previous[i]);
        }
        if (core.runningPreemptions == 0) {
            v0.scheduleSwapped(true);
            appendDecodesThenPrefills(core.admittedScratch);
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < scheduled; i++) {
                // the first `scheduled` batch entries are these running requests, in order
                boolean decode = core.batch.decodesAt(i);
                if (decode == (pass == 0)) {
                    running.add(previous[i]);
                }
            }
        }
        v0.schedulePrefills(true);
        v0.appendAdmitted();
    }

    void planV1() {
        RunningQueue running = core.running;
        int maxTokens = core.settings.maxNumBatchedTokens();
        boolean preempted = false;
        int index = 0;
        while (index < running.size() && core.budgetTokens < maxTokens) {
            int slot = running.get(index);
            int remaining = req.length(slot) - req.computed[slot];
            int newTokens = Math.min(remaining, maxTokens - core.budgetTokens);
            int tokensAfter = req.computed[slot] + newTokens;
            boolean preemptedSelf = false;
            while (core.settings.blocksFor(tokensAfter) - req.gpuBlocks[slot] > core.freeGpuBlocks) {
                int victim = core.v1Victim();
                int victimIndex = running.indexOf(victim);
                running.removeAt(victimIndex);
                if (victimIndex < index) {
                    core.unschedule(victim);
                    index--;
                }
                core.preempt(victim, Requeue.FRONT);
                preempted = true;
                if (victim == slot) {
                    preemptedSelf = true;
                    break;
                }
            }
            if (preemptedSelf) {
                break;
            }
            core.allocate(slot, core.settings.blocksFor(tokensAfter) - req.gpuBlocks[slot]);
            core.schedule(slot, newTokens, newTokens == remaining);
            core.budgetSeqs++;
            index++;
        }
        if (preempted) {
            return;
        }
        WaitingQueue waiting = core.waiting;
        if (core.v1Priority()) {
            waiting.sort(core.v1PriorityOrder());
        }
        while (!waiting.isEmpty() && core.budgetTokens < maxTokens && running.size() < core.settings.maxNumSeqs()) {
            int slot = waiting.peek();
            int remaining = req.length(slot) - req.computed[slot];
            int newTokens = Math.min(remaining, maxTokens - core.budgetTokens);
            int blocks = core.settings.blocksFor(newTokens);
            if (blocks > core.freeGpuBlocks) {
                break;
            }
            waiting.poll();
            core.allocate(slot, blocks);
            req.state[slot] = RequestTable.RUNNING;
            req.admittedStep[slot] = core.step;
            running.add(slot);
            core.schedule(slot, newTokens, newTokens == remaining);
            core.budgetSeqs++;
            core.stepPrefills++;
        }
    }

    /** Swapped-in requests join the running queue decodes first, then prefills, as vLLM extends it. */
    private void appendDecodesThenPrefills(IntDeque admitted) {
        int n = admitted.size();
        if (n == 0) {
            return;
        }
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            items[i] = admitted.pollFirst();
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int slot : items) {
                if (isDecodeInBatch(slot) == (pass == 0)) {
                    core.running.add(slot);
                }
            }
        }
    }

    private boolean isDecodeInBatch(int slot) {
        int i = core.batch.indexOf(slot);
        return i >= 0 && core.batch.decodesAt(i);
    }

    private int[] copyOf(RunningQueue running) {
        int n = running.size();
        if (scratch.length < n) {
            scratch = new int[Math.max(n, scratch.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            scratch[i] = running.get(i);
        }
        return scratch;
    }
}
