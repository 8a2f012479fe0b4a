package dev.schedbench.sim;

import dev.schedbench.sim.engine.StepView;
import java.util.Arrays;

/** Per-step statistics of a virtual run in parallel primitive arrays (one entry per engine step). */
public final class StepTrace {

    private long[] startNanos = new long[1024];
    private long[] durationNanos = new long[1024];
    private int[] seqs = new int[1024];
    private int[] tokens = new int[1024];
    private int[] prefillSeqs = new int[1024];
    private int[] preemptions = new int[1024];
    private int[] waiting = new int[1024];
    private int[] running = new int[1024];
    private int[] swapped = new int[1024];
    private int[] usedGpuBlocks = new int[1024];
    private int size;
    private final int totalGpuBlocks;

    StepTrace(int totalGpuBlocks) {
        this.totalGpuBlocks = totalGpuBlocks;
    }

    void record(StepView step) {
        if (size == startNanos.length) {
            int n = size * 2;
            startNanos = Arrays.copyOf(startNanos, n);
            durationNanos = Arrays.copyOf(durationNanos, n);
            seqs = Arrays.copyOf(seqs, n);
            tokens = Arrays.copyOf(tokens, n);
            prefillSeqs = Arrays.copyOf(prefillSeqs, n);
            preemptions = Arrays.copyOf(preemptions, n);
            waiting = Arrays.copyOf(waiting, n);
            running = Arrays.copyOf(running, n);
            swapped = Arrays.copyOf(swapped, n);
            usedGpuBlocks = Arrays.copyOf(usedGpuBlocks, n);
        }
        startNanos[size] = step.startNanos();
        durationNanos[size] = step.durationNanos();
        seqs[size] = step.seqs();
        tokens[size] = step.tokens();
        prefillSeqs[size] = step.prefillSeqs();
        preemptions[size] = step.preemptions();
        waiting[size] = step.waiting();
        running[size] = step.running();
        swapped[size] = step.swapped();
        usedGpuBlocks[size] = step.usedGpuBlocks();
        size++;
    }

    public int size() {
        return size;
    }

    public int totalGpuBlocks() {
        return totalGpuBlocks;
    }

    public long startNanos(int i) {
        return startNanos[i];
    }

    public long durationNanos(int i) {
        return durationNanos[i];
    }

    public int seqs(int i) {
        return seqs[i];
    }

    public int tokens(int i) {
        return tokens[i];
    }

    public int prefillSeqs(int i) {
        return prefillSeqs[i];
    }

    public int preemptions(int i) {
        return preemptions[i];
    }

    /** Requests waiting after the step was planned. */
    public int waiting(int i) {
        return waiting[i];
    }

    /** Requests running after the step was planned. */
    public int running(int i) {
        return running[i];
    }

    public int swapped(int i) {
        return swapped[i];
    }

    public int usedGpuBlocks(int i) {
        return usedGpuBlocks[i];
    }

    /** Fraction of time-steps' GPU KV blocks in use, 0..1, for step {@code i}. */
    public double gpuCacheUsage(int i) {
        return (double) usedGpuBlocks[i] / totalGpuBlocks;
    }
}
