package dev.schedbench.sim.engine;

import java.util.Arrays;

/**
 * Every live request's state in parallel primitive arrays indexed by slot, so a step touches no
 * objects. Slots of finished requests are reused.
 */
final class RequestTable {

    static final byte FREE = 0;
    static final byte WAITING = 1;
    static final byte RUNNING = 2;
    static final byte SWAPPED = 3;

    int[] promptTokens;
    int[] maxTokens;
    /** Output tokens the request will produce in all (its natural length or max_tokens). */
    int[] targetTokens;
    int[] generated;
    /** Tokens whose KV is computed (prompt and generated), during a chunked prefill a partial count. */
    int[] computed;
    int[] gpuBlocks;
    int[] cpuBlocks;
    int[] preemptions;
    long[] priority;
    long[] arrivalOrder;
    long[] arrivalNanos;
    long[] queueSeq;
    long[] waitingSinceStep;
    long[] admittedStep;
    /** Steps spent running before a swap-out, restored on swap-in (the seed's counter survives swapping). */
    long[] stepsBeforeSwap;
    byte[] state;
    byte[] finishReason;
    Object[] attachment;

    private final IntDeque freeSlots = new IntDeque();
    private int capacity;
    private int live;

    RequestTable(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    int live() {
        return live;
    }

    int capacity() {
        return capacity;
    }

    int claim() {
        if (freeSlots.isEmpty()) {
            grow();
        }
        int slot = freeSlots.pollFirst();
        live++;
        return slot;
    }

    void release(int slot) {
        state[slot] = FREE;
        attachment[slot] = null;
        freeSlots.addLast(slot);
        live--;
    }

    /** Sequence length: prompt plus generated tokens, the tokens a recomputation prefills. */
    int length(int slot) {
        return promptTokens[slot] + generated[slot];
    }

    private void allocate(int size) {
        promptTokens = new int[size];
        maxTokens = new int[size];
        targetTokens = new int[size];
        generated = new int[size];
        computed = new int[size];
        gpuBlocks = new int[size];
        cpuBlocks = new int[size];
        preemptions = new int[size];
        priority = new long[size];
        arrivalOrder = new long[size];
        arrivalNanos = new long[size];
        queueSeq = new long[size];
        waitingSinceStep = new long[size];
        admittedStep = new long[size];
        stepsBeforeSwap = new long[size];
        state = new byte[size];
        finishReason = new byte[size];
        attachment = new Object[size];
        for (int i = 0; i < size; i++) {
            freeSlots.addLast(i);
        }
        capacity = size;
    }

    private void grow() {
        int size = capacity * 2;
        promptTokens = Arrays.copyOf(promptTokens, size);
        maxTokens = Arrays.copyOf(maxTokens, size);
        targetTokens = Arrays.copyOf(targetTokens, size);
        generated = Arrays.copyOf(generated, size);
        computed = Arrays.copyOf(computed, size);
        gpuBlocks = Arrays.copyOf(gpuBlocks, size);
        cpuBlocks = Arrays.copyOf(cpuBlocks, size);
        preemptions = Arrays.copyOf(preemptions, size);
        priority = Arrays.copyOf(priority, size);
        arrivalOrder = Arrays.copyOf(arrivalOrder, size);
        arrivalNanos = Arrays.copyOf(arrivalNanos, size);
        queueSeq = Arrays.copyOf(queueSeq, size);
        waitingSinceStep = Arrays.copyOf(waitingSinceStep, size);
        admittedStep = Arrays.copyOf(admittedStep, size);
        stepsBeforeSwap = Arrays.copyOf(stepsBeforeSwap, size);
        state = Arrays.copyOf(state, size);
        finishReason = Arrays.copyOf(finishReason, size);
        attachment = Arrays.copyOf(attachment, size);
        for (int i = capacity; i < size; i++) {
            freeSlots.addLast(i);
        }
        capacity = size;
    }
}
