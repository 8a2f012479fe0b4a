package dev.schedbench.bench;

import dev.schedbench.data.Dataset;
import dev.schedbench.data.DatasetEntry;
import dev.schedbench.data.PythonRandom;
import dev.schedbench.data.TokenCounter;
import dev.schedbench.model.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Picks a run's requests as the seed's {@code online_benchmarking.py} does: shuffle the whole
 * dataset with Python's {@code random.seed(seed); random.shuffle(...)}, then keep rows in that order
 * until {@code numPrompts} are kept, dropping a row whose prompt or answer is shorter than 4 tokens,
 * whose prompt is longer than 1024 tokens, or whose prompt and answer together exceed 2048. Unlike the
 * seed, which first cut the dataset to its first 100 rows, every row can be drawn.
 */
public final class RequestSampler {

    public static final int MIN_TOKENS = 4;
    public static final int MAX_PROMPT_TOKENS = 1024;
    public static final int MAX_TOTAL_TOKENS = 2048;

    /** Prompts are counted in batches so that a server-side tokenizer is asked concurrently. */
    private static final int BATCH = 64;

    private RequestSampler() {}

    public static List<SampledRequest> sample(Dataset dataset, int numPrompts, long seed, TokenCounter counter) {
        List<DatasetEntry> entries = dataset.entries();
        int[] order = new int[entries.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        new PythonRandom(seed).shuffle(order);
        List<SampledRequest> kept = new ArrayList<>(Math.min(numPrompts, order.length));
        int tooShort = 0;
        int tooLong = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int from = 0; from < order.length && kept.size() < numPrompts; from += BATCH) {
                int to = Math.min(order.length, from + BATCH);
                int[] promptTokens = countPrompts(pool, entries, order, from, to, counter);
                for (int k = from; k < to && kept.size() < numPrompts; k++) {
                    DatasetEntry entry = entries.get(order[k]);
                    int prompt = promptTokens[k - from];
                    int output = entry.outputTokens();
                    if (prompt < MIN_TOKENS || output < MIN_TOKENS) {
                        tooShort++;
                    } else if (prompt > MAX_PROMPT_TOKENS || prompt + output > MAX_TOTAL_TOKENS) {
                        tooLong++;
                    } else {
                        kept.add(new SampledRequest(kept.size(), order[k], entry, prompt, output));
                    }
                }
            }
        }
        if (kept.isEmpty()) {
            throw new UserError("no request left to send from dataset " + dataset.source() + ": all " + entries.size()
                    + " rows were dropped (" + tooShort + " with a prompt or answer under " + MIN_TOKENS + " tokens, "
                    + tooLong + " with a prompt over " + MAX_PROMPT_TOKENS + " tokens or prompt + answer over "
                    + MAX_TOTAL_TOKENS + "); use a dataset with longer answers and shorter prompts");
        }
        return List.copyOf(kept);
    }

    private static int[] countPrompts(ExecutorService pool, List<DatasetEntry> entries, int[] order, int from, int to,
            TokenCounter counter) {
        List<Future<Integer>> counts = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            String prompt = entries.get(order[k]).prompt();
            counts.add(pool.submit(() -> counter.countPrompt(prompt)));
        }
        int[] result = new int[counts.size()];
        for (int i = 0; i < result.length; i++) {
            try {
                result[i] = counts.get(i).get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while counting prompt tokens", e);
            }
        }
        return result;
    }
}
