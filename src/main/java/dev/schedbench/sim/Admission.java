package dev.schedbench.sim;

import dev.schedbench.model.UserError;
import dev.schedbench.sim.engine.EngineSettings;
import dev.schedbench.sim.engine.FinishReason;
import dev.schedbench.sim.profile.OutputLengths;

/** What vLLM's API checks before a request reaches the scheduler, and how long its answer will be. */
final class Admission {

    private final EngineSettings settings;
    private final OutputLengths lengths;

    Admission(EngineSettings settings, OutputLengths lengths) {
        this.settings = settings;
        this.lengths = lengths;
    }

    /** The output a request will produce. */
    record Target(int tokens, FinishReason reason) {}

    /** Throws {@link UserError} with vLLM's message for a request vLLM would reject. */
    void validate(SimRequest request) {
        if (request.promptTokens() < 1) {
            throw new UserError("Prompt cannot be empty (request " + request.requestId() + ").");
        }
        if (request.maxTokens() < 1) {
            throw new UserError("max_tokens must be at least 1, got " + request.maxTokens() + ".");
        }
        long total = (long) request.promptTokens() + request.maxTokens();
        if (total > settings.maxModelLen()) {
            throw new UserError("This model's maximum context length is " + settings.maxModelLen()
                    + " tokens. However, you requested " + total + " tokens (" + request.promptTokens()
                    + " in the messages, " + request.maxTokens() + " in the completion). Please reduce the length "
                    + "of the messages or completion.");
        }
        if (request.priority() != 0 && !settings.policy().priorityAware()) {
            throw new UserError("Got priority " + request.priority() + " but Priority scheduling is not enabled.");
        }
        if (request.outputTokensHint().isPresent() && request.outputTokensHint().getAsLong() < 1) {
            throw new UserError("the output length hint of request " + request.requestId() + " must be at least 1, got "
                    + request.outputTokensHint().getAsLong());
        }
    }

    /**
     * The natural length (from the hint, else drawn from the prompt), cut at {@code max_tokens};
     * {@code ignore_eos} always runs to {@code max_tokens}. Ending exactly at {@code max_tokens} by
     * itself is a stop, as vLLM checks the end-of-sequence token before the length.
     */
    Target target(SimRequest request) {
        if (request.ignoreEos()) {
            return new Target(request.maxTokens(), FinishReason.LENGTH);
        }
        long natural = request.outputTokensHint().isPresent()
                ? request.outputTokensHint().getAsLong() : lengths.naturalLength(request.prompt());
        return natural <= request.maxTokens()
                ? new Target((int) natural, FinishReason.STOP)
                : new Target(request.maxTokens(), FinishReason.LENGTH);
    }
}
