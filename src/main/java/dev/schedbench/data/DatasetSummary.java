package dev.schedbench.data;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code dataset show} reports about a dataset.
 *
 * @param file          the dataset file
 * @param format        the layout it was read as
 * @param entries       rows read
 * @param skipped       rows the format skips (short ShareGPT conversations)
 * @param tokenizer     how prompt tokens were counted
 * @param promptTokens  prompt lengths in tokens, with the tokenizer's special tokens (as vLLM's client counts them)
 * @param outputTokens  the oracle {@code output_tokens}
 * @param outputChars   {@code output_len} (characters), where every row has it
 * @param extraFields   further integer fields, e.g. {@code output_tokens_noise_50}
 */
public record DatasetSummary(Path file, DatasetFormat format, int entries, int skipped, String tokenizer,
                             Distribution promptTokens, Distribution outputTokens, Optional<Distribution> outputChars,
                             List<String> extraFields) {

    public DatasetSummary {
        extraFields = List.copyOf(extraFields);
    }

    public static DatasetSummary of(Dataset dataset, TokenCounter counter) {
        List<DatasetEntry> entries = dataset.entries();
        int[] prompt = entries.parallelStream().mapToInt(e -> counter.countPrompt(e.prompt())).toArray();
        int[] output = entries.stream().mapToInt(DatasetEntry::outputTokens).toArray();
        boolean allChars = entries.stream().allMatch(e -> e.outputChars().isPresent());
        Optional<Distribution> chars = allChars
                ? Optional.of(Distribution.of(entries.stream().mapToInt(e -> e.outputChars().getAsInt()).toArray()))
                : Optional.empty();
        Set<String> extra = new LinkedHashSet<>();
        entries.forEach(e -> extra.addAll(e.extra().keySet()));
        return new DatasetSummary(dataset.source(), dataset.format(), entries.size(), dataset.skipped(), counter.description(),
                Distribution.of(prompt), Distribution.of(output), chars, List.copyOf(extra));
    }
}
