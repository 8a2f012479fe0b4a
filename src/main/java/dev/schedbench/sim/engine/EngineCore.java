package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.Policies;
import dev.schedbench.sim.policy.PolicyContext;
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

    private static final int ALLOC_OK = 0;
    private static final int ALLOC_LATER = 1;
    private static final int ALLOC_NEVER = 2;
    static final String NO_SWAP_SPACE =
            "Aborted due to the lack of CPU swap space. Please increase the swap space to avoid this error.";

    final EngineSettings settings;
    private final EngineListener listener;
    final RequestTable req;
    final WaitingQueue waiting;
    final RunningQueue running = new RunningQueue();
    final IntDeque swapped = new IntDeque();
    private final SchedulingPolicy policy;
    private final IterationTimeModel timeModel;
    private final SlotOrder v1PriorityOrder;
    private final boolean v1Priority;
    private final ChunkedPlanner chunked;
    private final View view = new View();

    int freeGpuBlocks;
    private int freeCpuBlocks;

    // The step being planned or run.
    long step;
    private boolean stepOpen;
    private long stepStartNanos;
    private long stepDurationNanos;
    int[] batchSlot;
    int[] batchTokens;
    boolean[] batchEmits;
    int batchSize;
    int budgetTokens;
    int budgetSeqs;
    int stepPrefills;
    private int stepPreemptions;
    int runningPreemptions;
    private long stepSwapBlocks;
    private boolean stepChanged;
    private final IntDeque ignored = new IntDeque();
    private final IntDeque finishing = new IntDeque();
    final IntDeque admittedScratch = new IntDeque();
    private int stepTokens;
    private int stepPrefillSeqs;

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
        Context context = new Context();
        this.policy = Policies.create(settings.policy(), context);
        this.timeModel = new IterationTimeModel(settings.costs(), settings.blockBytes());
        this.v1PriorityOrder = (a, b) -> {
            int byPriority = Long.compare(req.priority[a], req.priority[b]);
            return byPriority != 0 ? byPriority : Long.compare(req.arrivalOrder[a], req.arrivalOrder[b]);
        };
        this.v1Priority = policy.v1Queueing() == dev.schedbench.sim.policy.V1Queueing.PRIORITY;
        this.chunked = new ChunkedPlanner(this);
        this.freeGpuBlocks = settings.numGpuBlocks();
        this.freeCpuBlocks = settings.numCpuBlocks();
        int batchCapacity = settings.maxNumSeqs() + 1;
        this.batchSlot = new int[batchCapacity];
        this.batchTokens = new int[batchCapacity];
        this.batchEmits = new boolean[batchCapacity];
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
        req.attachment[slot] = attachment;
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
            planDefault();
        }
        if (batchSize == 0 && !stepChanged) {
            return IDLE;
        }
        summarizeBatch();
        stepDurationNanos = timeModel.nanos(batchSize, stepTokens, decodeContext, prefillPairs, stepSwapBlocks);
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
        for (int i = 0; i < batchSize; i++) {
            int slot = batchSlot[i];
            req.computed[slot] += batchTokens[i];
            if (!batchEmits[i]) {
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
        batchSize = 0;
        budgetTokens = 0;
        budgetSeqs = 0;
        stepPrefills = 0;
        stepPreemptions = 0;
        runningPreemptions = 0;
        stepSwapBlocks = 0;
        stepChanged = false;
    }

    // ---------------------------------------------------------------- V0 default path (no chunking)

    private void planDefault() {
        budgetSeqs = running.size();
        if (swapped.isEmpty()) {
            schedulePrefills(false);
            appendAdmitted();
        }
        if (stepPrefills == 0) {
            policy.afterNoPrefill();
            scheduleRunningDefault();
            if (runningPreemptions == 0) {
                scheduleSwapped(false);
                appendAdmitted();
            }
        }
    }

    void appendAdmitted() {
        while (!admittedScratch.isEmpty()) {
            running.add(admittedScratch.pollFirst());
        }
    }

    /** {@code _schedule_prefills}: admit from the head of the waiting queue until one does not fit. */
    void schedulePrefills(boolean chunking) {
        int limit = settings.promptLimit();
        while (!waiting.isEmpty()) {
            int slot = waiting.peek();
            int remaining = req.length(slot) - req.computed[slot];
            int newTokens = chunking ? Math.min(remaining, settings.maxNumBatchedTokens() - budgetTokens) : remaining;
            if (newTokens > limit) {
                waiting.poll();
                ignore(slot);
                continue;
            }
            int blocks = settings.blocksFor(req.length(slot));
            int status = canAllocate(blocks);
            if (status == ALLOC_LATER) {
                break;
            }
            if (status == ALLOC_NEVER) {
                waiting.poll();
                ignore(slot);
                continue;
            }
            if (newTokens == 0 || !budgetAllows(newTokens)) {
                break;
            }
            waiting.poll();
            allocate(slot, blocks);
            req.state[slot] = RequestTable.RUNNING;
            req.admittedStep[slot] = step;
            admittedScratch.addLast(slot);
            schedule(slot, newTokens, newTokens == remaining);
            budgetSeqs++;
            stepPrefills++;
        }
    }

    /** {@code _schedule_running} without chunking: one decode token each, tail preemption on block shortage. */
    private void scheduleRunningDefault() {
        int i = 0;
        while (i < running.size()) {
            int slot = running.get(i);
            int preemptedBefore = runningPreemptions;
            boolean fits = makeRoomToAppend(slot, i, req.length(slot));
            // running requests were counted in the budget up front
            budgetSeqs -= runningPreemptions - preemptedBefore;
            if (!fits) {
                break;
            }
            schedule(slot, 1, true);
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
            int need = settings.blocksFor(tokensAfter) - req.gpuBlocks[slot];
            if (need <= freeGpuBlocks) {
                if (need > 0) {
                    allocate(slot, need);
                }
                return true;
            }
            runningPreemptions++;
            if (running.size() - 1 > index) {
                preempt(running.removeLast(), Requeue.FRONT);
            } else {
                running.removeAt(index);
                preempt(slot, Requeue.FRONT);
                return false;
            }
        }
    }

    /** {@code _schedule_swapped}: resume swapped requests from the front while blocks and budget allow. */
    void scheduleSwapped(boolean chunking) {
        while (!swapped.isEmpty()) {
            int slot = swapped.peekFirst();
            int blocks = settings.blocksFor(req.length(slot));
            if (blocks > settings.numGpuBlocks()) {
                swapped.pollFirst();
                freeCpuBlocks += req.cpuBlocks[slot];
                req.cpuBlocks[slot] = 0;
                ignore(slot);
                continue;
            }
            if (freeGpuBlocks - blocks < settings.watermarkBlocks()) {
                break;
            }
            int remaining = req.length(slot) - req.computed[slot];
            int newTokens = chunking ? Math.min(remaining, settings.maxNumBatchedTokens() - budgetTokens) : remaining;
            if (newTokens == 0 || !budgetAllows(newTokens)) {
                break;
            }
            swapped.pollFirst();
            stepSwapBlocks += req.cpuBlocks[slot];
            freeCpuBlocks += req.cpuBlocks[slot];
            req.cpuBlocks[slot] = 0;
            allocate(slot, blocks);
            req.state[slot] = RequestTable.RUNNING;
            req.admittedStep[slot] = step - req.stepsBeforeSwap[slot];
            admittedScratch.addLast(slot);
            schedule(slot, newTokens, newTokens == remaining);
            budgetSeqs++;
        }
    }

    // ---------------------------------------------------------------- shared mechanics

    boolean budgetAllows(int newTokens) {
        return budgetTokens + newTokens <= settings.maxNumBatchedTokens() && budgetSeqs + 1 <= settings.maxNumSeqs();
    }

    /** {@code block_manager.can_allocate}: OK above the watermark, NEVER if it could not fit an empty cache. */
    private int canAllocate(int blocks) {
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
        batchSlot[batchSize] = slot;
        batchTokens[batchSize] = tokens;
        batchEmits[batchSize] = emits;
        batchSize++;
        budgetTokens += tokens;
    }

    /** Takes an already scheduled sequence out of this step's batch (a V1 victim). */
    void unschedule(int slot) {
        for (int i = 0; i < batchSize; i++) {
            if (batchSlot[i] == slot) {
                budgetTokens -= batchTokens[i];
                budgetSeqs--;
                batchSlot[i] = -1;
                return;
            }
        }
    }

    /** Preempts a request that has already left the running queue (vLLM's {@code _preempt}). */
    void preempt(int slot, Requeue requeue) {
        stepPreemptions++;
        preemptionsTotal++;
        stepChanged = true;
        req.preemptions[slot]++;
        boolean swap = settings.preemptionMode() == PreemptionMode.SWAP && settings.generation() == EngineGeneration.V0;
        if (swap) {
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
    private void ignore(int slot) {
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

    private long decodeContext;
    private double prefillPairs;

    private void summarizeBatch() {
        long context = 0;
        double pairs = 0;
        int tokens = 0;
        int seqs = 0;
        int prefills = 0;
        for (int i = 0; i < batchSize; i++) {
            int slot = batchSlot[i];
            if (slot < 0) {
                continue;
            }
            int chunk = batchTokens[i];
            int before = req.computed[slot];
            seqs++;
            tokens += chunk;
            if (chunk == 1 && before > 0) {
                context += before + 1;
            } else {
                prefills++;
                pairs += (double) chunk * before + chunk * (chunk + 1.0) / 2;
                promptTokensTotal += chunk;
            }
        }
        if (seqs != batchSize) {
            int n = 0;
            for (int i = 0; i < batchSize; i++) {
                if (batchSlot[i] >= 0) {
                    batchSlot[n] = batchSlot[i];
                    batchTokens[n] = batchTokens[i];
                    batchEmits[n] = batchEmits[i];
                    n++;
                }
            }
            batchSize = n;
        }
        decodeContext = context;
        prefillPairs = pairs;
        stepTokens = tokens;
        stepPrefillSeqs = prefills;
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

    /** The policy's view of this engine, as the policy gets it. */
    private final class Context implements PolicyContext {

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
            return step - req.admittedStep[slot];
        }

        @Override
        public int stepsBeforePreemption() {
            return settings.stepsBeforePreemption();
        }

        @Override
        public int waitingSize() {
            return waiting.size();
        }

        @Override
        public int waitingHead() {
            return waiting.peek();
        }

        @Override
        public void sortWaiting(SlotOrder order) {
            waiting.sort(order);
        }

        @Override
        public int runningSize() {
            return running.size();
        }

        @Override
        public int running(int index) {
            return running.get(index);
        }

        @Override
        public void sortRunning(SlotOrder order) {
            running.sort(order);
        }

        @Override
        public boolean canAdmit(int slot) {
            int newTokens = req.length(slot) - req.computed[slot];
            return newTokens > 0 && canAllocate(settings.blocksFor(req.length(slot))) == ALLOC_OK
                    && budgetAllows(newTokens);
        }

        @Override
        public void preempt(int slot, Requeue requeue) {
            if (running.remove(slot) < 0) {
                throw new IllegalArgumentException("slot " + slot + " is not running");
            }
            budgetSeqs--;
            EngineCore.this.preempt(slot, requeue);
        }
    }

    /** The step as observers see it. */
    private final class View implements StepView {

        @Override
        public long index() {
            return step;
        }

        @Override
        public long startNanos() {
            return stepStartNanos;
        }

        @Override
        public long durationNanos() {
            return stepDurationNanos;
        }

        @Override
        public int seqs() {
            return batchSize;
        }

        @Override
        public int tokens() {
            return stepTokens;
        }

        @Override
        public int prefillSeqs() {
            return stepPrefillSeqs;
        }

        @Override
        public int decodeSeqs() {
            return batchSize - stepPrefillSeqs;
        }

        @Override
        public int preemptions() {
            return stepPreemptions;
        }

        @Override
        public int usedGpuBlocks() {
            return EngineCore.this.usedGpuBlocks();
        }

        @Override
        public int totalGpuBlocks() {
            return settings.numGpuBlocks();
        }

        @Override
        public int usedCpuBlocks() {
            return EngineCore.this.usedCpuBlocks();
        }

        @Override
        public int waiting() {
            return waiting.size();
        }

        @Override
        public int running() {
            return running.size();
        }

        @Override
        public int swapped() {
            return swapped.size();
        }

        @Override
        public int[] scheduledSlots() {
            return java.util.Arrays.copyOf(batchSlot, batchSize);
        }

        @Override
        public int blocksHeldByRequests() {
            int[] total = new int[1];
            waiting.forEach(slot -> total[0] += req.gpuBlocks[slot]);
            for (int i = 0; i < running.size(); i++) {
                total[0] += req.gpuBlocks[running.get(i)];
            }
            for (int i = 0; i < swapped.size(); i++) {
                total[0] += req.gpuBlocks[swapped.get(i)];
            }
            return total[0];
        }

        @Override
        public EngineSettings settings() {
            return settings;
        }
    }
}
