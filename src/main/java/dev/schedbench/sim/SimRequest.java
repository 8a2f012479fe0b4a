package dev.schedbench.sim;

import java.util.OptionalLong;

/**
 * A request as the simulator's HTTP layer hands it to an engine.
 *
 * @param requestId    the id the server gave it ({@code cmpl-…})
 * @param prompt       the prompt text; with the engine's seed it decides the natural output length
 * @param promptTokens prompt length in tokens
 * @param maxTokens    {@code max_tokens}: the generation stops here at the latest
 * @param priority     the request's {@code priority}, 0 when absent (lower is served earlier)
 * @param ignoreEos    generate exactly {@code maxTokens}, ignoring the natural length
 * @param outputTokensHint a forced output length (tests and replays), overriding the natural one
 */
public record SimRequest(
        String requestId,
        String prompt,
        int promptTokens,
        int maxTokens,
        long priority,
        boolean ignoreEos,
        OptionalLong outputTokensHint) {}
