package dev.schedbench.bench;

import dev.schedbench.data.DatasetEntry;

/**
 * A dataset row picked for a run.
 *
 * @param index        position in the run (send order)
 * @param datasetIndex the row's index in the dataset file
 * @param promptTokens the prompt's length in tokens
 * @param outputTokens the oracle answer length: {@code max_tokens} and the default priority
 */
public record SampledRequest(int index, int datasetIndex, DatasetEntry entry, int promptTokens, int outputTokens) {

    public String prompt() {
        return entry.prompt();
    }
}
