package dev.schedbench.sim.engine;

/** An {@link EngineCore}'s current step as observers see it. */
final class EngineStepView implements StepView {

    private final EngineCore core;

    EngineStepView(EngineCore core) {
        this.core = core;
    }

    @Override
    public long index() {
        return core.step;
    }

    @Override
    public long startNanos() {
        return core.stepStartNanos;
    }

    @Override
    public long durationNanos() {
        return core.stepDurationNanos;
    }

    @Override
    public int seqs() {
        return core.batch.seqs;
    }

    @Override
    public int tokens() {
        return core.batch.totalTokens;
    }

    @Override
    public int prefillSeqs() {
        return core.batch.prefillSeqs;
    }

    @Override
    public int decodeSeqs() {
        return core.batch.seqs - core.batch.prefillSeqs;
    }

    @Override
    public int preemptions() {
        return core.stepPreemptions;
    }

    @Override
    public int usedGpuBlocks() {
        return core.usedGpuBlocks();
    }

    @Override
    public int totalGpuBlocks() {
        return core.settings.numGpuBlocks();
    }

    @Override
    public int usedCpuBlocks() {
        return core.usedCpuBlocks();
    }

    @Override
    public int waiting() {
        return core.waiting.size();
    }

    @Override
    public int running() {
        return core.running.size();
    }

    @Override
    public int swapped() {
        return core.swapped.size();
    }

    @Override
    public int[] scheduledSlots() {
        return core.batch.slots();
    }

    @Override
    public int blocksHeldByRequests() {
        RequestTable req = core.req;
        int[] total = new int[1];
        core.waiting.forEach(slot -> total[0] += req.gpuBlocks[slot]);
        for (int i = 0; i < core.running.size(); i++) {
            total[0] += req.gpuBlocks[core.running.get(i)];
        }
        for (int i = 0; i < core.swapped.size(); i++) {
            total[0] += req.gpuBlocks[core.swapped.get(i)];
        }
        return total[0];
    }

    @Override
    public EngineSettings settings() {
        return core.settings;
    }
}
