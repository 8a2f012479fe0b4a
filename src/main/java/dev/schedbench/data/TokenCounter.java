package dev.schedbench.data;

/**
 * Counts tokens the way a model's tokenizer does. Implementations are thread-safe.
 */
public interface TokenCounter {

    /** Tokens of a piece of generated text, without special tokens ({@code add_special_tokens=False}). */
    int count(String text);

    /** Tokens of a prompt as the server sees it, with the special tokens its tokenizer adds (e.g. BOS). */
    int countPrompt(String prompt);

    /** How counting is done, for the run's record, e.g. {@code local r50k_base (exact for gpt2)}. */
    String description();
}
