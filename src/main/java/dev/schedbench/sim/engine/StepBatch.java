package dev.schedbench.sim.engine;

import java.util.Arrays;

/**
 * The sequences one step runs, in batch order: for each its slot, the tokens it computes (a whole
 * prompt, a chunk, or one decode token) and whether it samples a token at the end. Reused every step.
 */
final class StepBatch {

    private final RequestTable req;
    int[] slot;
    int[] tokens;
    boolean[] emits;
    int size;

    // What summarize() found, for the time model and observers.
    int seqs;
    int totalTokens;
    int prefillSeqs;
    long decodeContext;
    double prefillPairs;
    long promptTokens;

    StepBatch(RequestTable req, int capacity) {
        this.req = req;
        this.slot = new int[capacity];
        this.tokens = new int[capacity];
        this.emits = new boolean[capacity];
    }

    void clear() {
        size = 0;
    }

    void add(int s, int tokenCount, boolean emitsToken) {
        slot[size] = s;
        tokens[size] = tokenCount;
        emits[size] = emitsToken;
        size++;
    }

    /** Takes a sequence out again (a V1 victim scheduled earlier in the step); returns its tokens, or 0. */
    int cancel(int s) {
        for (int i = 0; i < size; i++) {
            if (slot[i] == s) {
                slot[i] = -1;
                return tokens[i];
            }
        }
        return 0;
    }

    /** Whether the sequence at batch position {@code i} decodes (one token after a computed context). */
    boolean decodesAt(int i) {
        return tokens[i] == 1 && req.computed[slot[i]] > 0;
    }

    /** Position of {@code s} in the batch, or -1. */
    int indexOf(int s) {
        for (int i = size - 1; i >= 0; i--) {
            if (slot[i] == s) {
                return i;
            }
        }
        return -1;
    }

    /** Drops cancelled entries and totals the batch; call before the step's computed counts change. */
    void summarize() {
        int n = 0;
        long context = 0;
        double pairs = 0;
        int tokenSum = 0;
        int prefills = 0;
        long prompt = 0;
        for (int i = 0; i < size; i++) {
            int s = slot[i];
            if (s < 0) {
                continue;
            }
            int chunk = tokens[i];
            int before = req.computed[s];
            tokenSum += chunk;
            if (chunk == 1 && before > 0) {
                context += before + 1;
            } else {
                prefills++;
                pairs += (double) chunk * before + chunk * (chunk + 1.0) / 2;
                prompt += chunk;
            }
            slot[n] = s;
            tokens[n] = chunk;
            emits[n] = emits[i];
            n++;
        }
        size = n;
        seqs = n;
        totalTokens = tokenSum;
        prefillSeqs = prefills;
        decodeContext = context;
        prefillPairs = pairs;
        promptTokens = prompt;
    }

    int[] slots() {
        return Arrays.copyOf(slot, size);
    }
}
