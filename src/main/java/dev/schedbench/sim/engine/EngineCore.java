package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.Policies;
import dev.schedbench.sim.policy.Requeue;
import dev.schedbench.sim.policy.SchedulingPolicy;
import dev.schedbench.sim.policy.SlotOrder;
import dev.schedbench.sim.profile.EngineGeneration;

/**
 * One simulated GPU: vLLM's scheduler, block manager and model runner reduced to counters, driven one
 * step at a time. Single-threaded and clock-free: the driver says when a step starts
 * ({@link #planStep}) and when it ends ({@link #finishStep}); between steps it may {@link #add} and
 * {@link #abort} requests. Deterministic: the same calls give the same steps.
 *
 * <p>A step's work is O(B + log W) for B scheduled sequences and W waiting requests, plus the policy's
 * sorts (O(k log W) for the k requests queued since the last sort).
 */
public final class EngineCore {

    /** {@link #planStep} found nothing it could do until a request arrives or leaves. */
    public static final long IDLE = -1;

    static final int ALLOC_OK = 0;
    static final int ALLOC_LATER = 1;
    static final int ALLOC_NEVER = 2;
    static final String NO_SWAP_SPACE =
            "Aborted due to the lack of CPU swap space. Please increase the swap space to avoid this error.";

    final EngineSettings settings;
    private final EngineListener listener;
    final RequestTable req;
    final WaitingQueue waiting;
    final RunningQueue running = new RunningQueue();
    final IntDeque swapped = new IntDeque();
    final SchedulingPolicy policy;
    private final IterationTimeModel timeModel;
    private final SlotOrder v1PriorityOrder;
    private final boolean v1Priority;
    private final V0Planner v0;
    private final ChunkedPlanner chunked;
    private final StepView view = new EngineStepView(this);

    int freeGpuBlocks;
    int freeCpuBlocks;

    // The step being planned or run.
    long step;
    private boolean stepOpen;
    long stepStartNanos;
    long stepDurationNanos;
    final StepBatch batch;
    int budgetTokens;
    int budgetSeqs;
    int stepPrefills;
    int stepPreemptions;
    int runningPreemptions;
    long stepSwapBlocks;
    private boolean stepChanged;
    private final IntDeque ignored = new IntDeque();
    private final IntDeque finishing = new IntDeque();
    final IntDeque admittedScratch = new IntDeque();

    // Totals, as vLLM's /metrics counts them.
    private long arrivals;
    private long preemptionsTotal;
    private long promptTokensTotal;
    private long generationTokensTotal;
    private long finishedStop;
    private long finishedLength;
    private long stepsTotal;

    public EngineCore(EngineSettings settings, EngineListener listener) {
        this.settings = settings;
        this.listener = listener;
        this.req = new RequestTable(Math.max(64, settings.maxNumSeqs() * 2));
        this.waiting = new WaitingQueue(req);
        this.policy = Policies.create(settings.policy(), new EnginePolicyContext(this));
        this.timeModel = new IterationTimeModel(settings.costs(), settings.blockBytes());
        this.v1PriorityOrder = (a, b) -> {
            int byPriority = Long.compare(req.priority[a], req.priority[b]);
            return byPriority != 0 ? byPriority : Long.compare(req.arrivalOrder[a], req.arrivalOrder[b]);
        };
        this.v1Priority = policy.v1Queueing() == dev.schedbench.sim.policy.V1Queueing.PRIORITY;
        this.v0 = new V0Planner(this);
        this.chunked = new ChunkedPlanner(this, v0);
        this.freeGpuBlocks = settings.numGpuBlocks();
        this.freeCpuBlocks = settings.numCpuBlocks();
        this.batch = new StepBatch(req, settings.maxNumSeqs() + 1);
    }

    public EngineSettings settings() {
        return settings;
    }

    /**
     * Queues a request at the back of the waiting queue ({@code add_seq_group}).
     *
     * @param promptTokens  prompt length
     * @param maxTokens     {@code max_tokens}
     * @param targetTokens  output tokens it will produce, 1..maxTokens
     * @param reason        how it finishes when it gets there
     * @param priority      its {@code priority}
     * @param arrivalNanos  arrival time on the driver's clock (kept for the driver)
     * @param attachment    the driver's handle, returned by {@link #attachment}
     * @return the request's slot
     */
    public int add(int promptTokens, int maxTokens, int targetTokens, FinishReason reason, long priority,
            long arrivalNanos, Object attachment) {
        if (stepOpen) {
            throw new IllegalStateException("add between steps, not during one");
        }
        if (promptTokens < 1 || targetTokens < 1 || targetTokens > maxTokens) {
            throw new IllegalArgumentException("bad request shape: prompt " + promptTokens + ", target " + targetTokens
                    + ", max_tokens " + maxTokens);
        }
        int slot = req.claim();
        req.promptTokens[slot] = promptTokens;
        req.maxTokens[slot] = maxTokens;
        req.targetTokens[slot] = targetTokens;
        req.generated[slot] = 0;
        req.computed[slot] = 0;
        req.gpuBlocks[slot] = 0;
        req.cpuBlocks[slot] = 0;
        req.preemptions[slot] = 0;
        req.priority[slot] = priority;
        req.arrivalOrder[slot] = arrivals++;
        req.arrivalNanos[slot] = arrivalNanos;
        req.waitingSinceStep[slot] = step;
        req.admittedStep[slot] = 0;
        req.stepsBeforeSwap[slot] = 0;
        req.finishReason[slot] = (byte) reason.ordinal();
        req.attachment[slot] = java.util.Objects.requireNonNull(attachment, "attachment");
        req.state[slot] = RequestTable.WAITING;
        waiting.append(slot);
        return slot;
    }

    /** Drops a request wherever it is and frees its blocks; the slot is reused. Between steps only. */
    public void abort(int slot) {
        if (stepOpen) {
            throw new IllegalStateException("abort between steps, not during one");
        }
        switch (req.state[slot]) {
            case RequestTable.WAITING -> waiting.remove(slot);
            case RequestTable.RUNNING -> running.remove(slot);
            case RequestTable.SWAPPED -> swapped.remove(slot);
            default -> throw new IllegalArgumentException("slot " + slot + " holds no live request");
        }
        freeGpuBlocks += req.gpuBlocks[slot];
        freeCpuBlocks += req.cpuBlocks[slot];
        req.gpuBlocks[slot] = 0;
        req.cpuBlocks[slot] = 0;
        req.release(slot);
    }

    /** Whether any request is waiting, running or swapped. */
    public boolean hasRequests() {
        return req.live() > 0;
    }

    /**
     * Plans the step starting at {@code nowNanos}: scheduling decisions, block allocation and
     * preemptions take effect now, tokens at {@link #finishStep}.
     *
     * @return the step's duration in nanoseconds, or {@link #IDLE} when there is nothing to run
     */
    public long planStep(long nowNanos) {
        if (stepOpen) {
            throw new IllegalStateException("finish the running step first");
        }
        if (req.live() == 0) {
            return IDLE;
        }
        beginStep(nowNanos);
        if (settings.generation() == EngineGeneration.V1) {
            chunked.planV1();
        } else if (settings.chunkedPrefill()) {
            chunked.planV0();
        } else {
            v0.planDefault();
        }
        batch.summarize();
        if (batch.size == 0 && !stepChanged) {
            return IDLE;
        }
        promptTokensTotal += batch.promptTokens;
        stepDurationNanos = timeModel.nanos(batch.seqs, batch.totalTokens, batch.decodeContext, batch.prefillPairs,
                stepSwapBlocks);
        stepOpen = true;
        listener.onStep(view);
        return stepDurationNanos;
    }

    /** Ends the planned step at {@code endNanos}: one token per completed sequence, finished requests leave. */
    public void finishStep(long endNanos) {
        if (!stepOpen) {
            throw new IllegalStateException("no step is running");
        }
        stepOpen = false;
        for (int i = 0; i < batch.size; i++) {
            int slot = batch.slot[i];
            req.computed[slot] += batch.tokens[i];
            if (!batch.emits[i]) {
                continue;
            }
            int produced = ++req.generated[slot];
            generationTokensTotal++;
            listener.onToken(slot, produced - 1, endNanos);
            if (produced >= req.targetTokens[slot]) {
                freeGpuBlocks += req.gpuBlocks[slot];
                req.gpuBlocks[slot] = 0;
                req.state[slot] = RequestTable.FREE;
                finishing.addLast(slot);
            }
        }
        if (!finishing.isEmpty()) {
            running.retain(slot -> req.state[slot] == RequestTable.RUNNING);
            while (!finishing.isEmpty()) {
                int slot = finishing.pollFirst();
                FinishReason reason = FinishReason.values()[req.finishReason[slot]];
                if (reason == FinishReason.STOP) {
                    finishedStop++;
                } else {
                    finishedLength++;
                }
                listener.onFinished(slot, reason, endNanos);
                req.release(slot);
            }
        }
        while (!ignored.isEmpty()) {
            int slot = ignored.pollFirst();
            finishedLength++;
            listener.onFinished(slot, FinishReason.LENGTH, endNanos);
            req.release(slot);
        }
        stepsTotal++;
    }

    private void beginStep(long nowNanos) {
        step = stepsTotal;
        stepStartNanos = nowNanos;
        batch.clear();
        budgetTokens = 0;
        budgetSeqs = 0;
        stepPrefills = 0;
        stepPreemptions = 0;
        runningPreemptions = 0;
        stepSwapBlocks = 0;
        stepChanged = false;
    }

    // ---------------------------------------------------------------- shared mechanics

    boolean budgetAllows(int newTokens) {
        return budgetTokens + newTokens <= settings.maxNumBatchedTokens() && budgetSeqs + 1 <= settings.maxNumSeqs();
    }

    /** {@code block_manager.can_allocate}: OK above the watermark, NEVER if it could not fit an empty cache. */
    int canAllocate(int blocks) {
        if (settings.numGpuBlocks() - blocks < settings.watermarkBlocks()) {
            return ALLOC_NEVER;
        }
        return freeGpuBlocks - blocks >= settings.watermarkBlocks() ? ALLOC_OK : ALLOC_LATER;
    }

    void allocate(int slot, int blocks) {
        freeGpuBlocks -= blocks;
        req.gpuBlocks[slot] += blocks;
    }

    /** Adds a sequence to the step's batch and budget. */
    void schedule(int slot, int tokens, boolean emits) {
        batch.add(slot, tokens, emits);
        budgetTokens += tokens;
    }

    /** Takes an already scheduled sequence out of this step's batch (a V1 victim). */
    void unschedule(int slot) {
        budgetTokens -= batch.cancel(slot);
        budgetSeqs--;
    }

    /** Preempts a request that has already left the running queue (vLLM's {@code _preempt}). */
    void preempt(int slot, Requeue requeue) {
        stepPreemptions++;
        preemptionsTotal++;
        stepChanged = true;
        req.preemptions[slot]++;
        if (settings.preemptsBySwap()) {
            int blocks = req.gpuBlocks[slot];
            if (blocks > freeCpuBlocks) {
                fail(slot, NO_SWAP_SPACE);
                return;
            }
            freeGpuBlocks += blocks;
            req.gpuBlocks[slot] = 0;
            freeCpuBlocks -= blocks;
            req.cpuBlocks[slot] = blocks;
            stepSwapBlocks += blocks;
            req.stepsBeforeSwap[slot] = step - req.admittedStep[slot];
            req.state[slot] = RequestTable.SWAPPED;
            swapped.addLast(slot);
        } else {
            freeGpuBlocks += req.gpuBlocks[slot];
            req.gpuBlocks[slot] = 0;
            req.computed[slot] = 0;
            req.state[slot] = RequestTable.WAITING;
            req.waitingSinceStep[slot] = step;
            switch (requeue) {
                case FRONT -> waiting.pushFront(slot);
                case BACK -> waiting.append(slot);
            }
        }
        listener.onPreempted(slot, stepStartNanos);
    }

    private void fail(int slot, String message) {
        freeGpuBlocks += req.gpuBlocks[slot];
        req.gpuBlocks[slot] = 0;
        req.state[slot] = RequestTable.FREE;
        listener.onFailed(slot, message, stepStartNanos);
        req.release(slot);
    }

    /** vLLM's FINISHED_IGNORED: reported at the end of this step with finish_reason length. */
    void ignore(int slot) {
        freeGpuBlocks += req.gpuBlocks[slot];
        req.gpuBlocks[slot] = 0;
        req.state[slot] = RequestTable.FREE;
        stepChanged = true;
        ignored.addLast(slot);
    }

    int v1Victim() {
        if (!v1Priority) {
            return running.last();
        }
        int worst = running.get(0);
        for (int i = 1; i < running.size(); i++) {
            int candidate = running.get(i);
            if (v1PriorityOrder.compare(candidate, worst) > 0) {
                worst = candidate;
            }
        }
        return worst;
    }

    boolean v1Priority() {
        return v1Priority;
    }

    SlotOrder v1PriorityOrder() {
        return v1PriorityOrder;
    }

    // ---------------------------------------------------------------- accessors for drivers

    public Object attachment(int slot) {
        return req.attachment[slot];
    }

    public int generated(int slot) {
        return req.generated[slot];
    }

    public int promptTokens(int slot) {
        return req.promptTokens[slot];
    }

    public int preemptions(int slot) {
        return req.preemptions[slot];
    }

    public long arrivalNanos(int slot) {
        return req.arrivalNanos[slot];
    }

    public int waitingCount() {
        return waiting.size();
    }

    public int runningCount() {
        return running.size();
    }

    public int swappedCount() {
        return swapped.size();
    }

    public int usedGpuBlocks() {
        return settings.numGpuBlocks() - freeGpuBlocks;
    }

    public int usedCpuBlocks() {
        return settings.numCpuBlocks() - freeCpuBlocks;
    }

    public long preemptionsTotal() {
        return preemptionsTotal;
    }

    public long promptTokensTotal() {
        return promptTokensTotal;
    }

    public long generationTokensTotal() {
        return generationTokensTotal;
    }

    public long finishedStop() {
        return finishedStop;
    }

    public long finishedLength() {
        return finishedLength;
    }

    public long steps() {
        return stepsTotal;
    }

    /** The waiting queue front to back (O(W log W); tests and diagnostics). */
    public int[] waitingOrder() {
        return waiting.toArray();
    }

    /** The running queue front to back. */
    public int[] runningOrder() {
        return running.toArray();
    }

    /** The swapped queue front to back. */
    public int[] swappedOrder() {
        int[] out = new int[swapped.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = swapped.get(i);
        }
        return out;
    }
}
