package dev.schedbench.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One row of a benchmark dataset: a prompt and how long the model's answer to it is (the oracle).
 *
 * @param prompt       the prompt text
 * @param outputTokens the answer's length in tokens ({@code output_tokens})
 * @param outputChars  the answer's length in characters ({@code output_len} in the seed's files), when known
 * @param extra        further integer fields of the row in file order, e.g. {@code output_tokens_noise_50}
 */
public record DatasetEntry(String prompt, int outputTokens, OptionalInt outputChars, Map<String, Integer> extra) {

    public DatasetEntry {
        if (outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens must be >= 0, got " + outputTokens);
        }
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public DatasetEntry(String prompt, int outputTokens) {
        this(prompt, outputTokens, OptionalInt.empty(), Map.of());
    }

    /** The integer field {@code name}, if the row has one. */
    public OptionalInt extra(String name) {
        Integer value = extra.get(name);
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }
}
