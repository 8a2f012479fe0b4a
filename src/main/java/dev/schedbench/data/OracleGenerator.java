package dev.schedbench.data;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a model on prompts for an oracle dataset. Implementations report every job exactly once to
 * {@code sink} (from any thread), as {@link OracleOutcome.Generated} or, when it failed for good,
 * {@link OracleOutcome.Failed}; a problem that stops the whole run (the engine cannot start) is a
 * {@link dev.schedbench.model.UserError} thrown after whatever finished was reported.
 */
public interface OracleGenerator {

    void generate(List<PromptJob> jobs, OracleSettings settings, Consumer<OracleOutcome> sink);

    /** Names the engine in messages, e.g. "http://127.0.0.1:8000". */
    String describe();
}
