package dev.schedbench.sim.engine;

import dev.schedbench.model.Policy;
import dev.schedbench.sim.profile.EngineGeneration;
import dev.schedbench.sim.profile.IterationCosts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an {@link EngineCore} step by step with named requests, the way vLLM's scheduler tests call
 * {@code scheduler.schedule()}: each {@link #step} plans and finishes one step and says what ran.
 */
final class Harness implements EngineListener {

    static final IterationCosts COSTS = new IterationCosts(1.0, 30, 0.5, 1, 0.01, 0, 25, 0);

    /** What one step scheduled: request names in batch order, tokens, prefill count, preemptions. */
    record Step(List<String> scheduled, int tokens, int prefills, int preemptions) {}

    final EngineCore core;
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    final Map<String, Integer> produced = new HashMap<>();
    final Map<String, String> finished = new HashMap<>();
    final List<String> preempted = new ArrayList<>();
    private Step last;
    private long now;

    Harness(EngineSettings settings) {
        this.core = new EngineCore(settings, this);
    }

    static EngineSettings settings(Policy policy, int maxNumSeqs, int maxNumBatchedTokens, int maxModelLen, int blockSize,
            int gpuBlocks, int cpuBlocks) {
        return new EngineSettings(policy, EngineGeneration.V0, false, maxNumSeqs, maxNumBatchedTokens, maxModelLen,
                blockSize, gpuBlocks, cpuBlocks, (int) (EngineSettings.WATERMARK * gpuBlocks), PreemptionMode.AUTO, 30,
                COSTS, 1024);
    }

    static EngineSettings with(EngineSettings s, EngineGeneration generation, boolean chunked, PreemptionMode mode,
            int stepsBeforePreemption) {
        return new EngineSettings(s.policy(), generation, chunked, s.maxNumSeqs(), s.maxNumBatchedTokens(), s.maxModelLen(),
                s.blockSize(), s.numGpuBlocks(), s.numCpuBlocks(), s.watermarkBlocks(), mode, stepsBeforePreemption,
                s.costs(), s.blockBytes());
    }

    /** Adds a request that will produce {@code outputTokens} tokens. */
    Harness add(String name, int promptTokens, int outputTokens) {
        return add(name, promptTokens, outputTokens, 0);
    }

    Harness add(String name, int promptTokens, int outputTokens, long priority) {
        int slot = core.add(promptTokens, outputTokens, outputTokens, FinishReason.STOP, priority, now, name);
        slots.put(name, slot);
        names.put(slot, name);
        return this;
    }

    void abort(String name) {
        core.abort(slots.remove(name));
    }

    Step step() {
        last = null;
        long duration = core.planStep(now);
        if (duration == EngineCore.IDLE) {
            return new Step(List.of(), 0, 0, 0);
        }
        Step planned = last;
        now += duration;
        core.finishStep(now);
        return planned;
    }

    /** Runs steps until nothing is left; returns how many. */
    int drain() {
        int steps = 0;
        while (core.hasRequests()) {
            step();
            steps++;
            if (steps > 1_000_000) {
                throw new AssertionError("did not drain");
            }
        }
        return steps;
    }

    List<String> waiting() {
        return named(core.waitingOrder());
    }

    List<String> running() {
        return named(core.runningOrder());
    }

    List<String> swapped() {
        return named(core.swappedOrder());
    }

    int freeBlocks() {
        return core.settings().numGpuBlocks() - core.usedGpuBlocks();
    }

    private List<String> named(int[] slotOrder) {
        return Arrays.stream(slotOrder).mapToObj(names::get).toList();
    }

    @Override
    public void onStep(StepView step) {
        last = new Step(named(step.scheduledSlots()), step.tokens(), step.prefillSeqs(), step.preemptions());
    }

    @Override
    public void onToken(int slot, int index, long timeNanos) {
        produced.merge(names.get(slot), 1, Integer::sum);
    }

    @Override
    public void onFinished(int slot, FinishReason reason, long timeNanos) {
        String name = names.remove(slot);
        slots.remove(name);
        finished.put(name, reason.vllmName());
    }

    @Override
    public void onPreempted(int slot, long timeNanos) {
        preempted.add(names.get(slot));
    }
}
