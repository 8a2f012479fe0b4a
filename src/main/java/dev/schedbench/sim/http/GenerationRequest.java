package dev.schedbench.sim.http;

import java.util.OptionalLong;

/**
 * A validated {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * @param api          which endpoint it came to; decides the response shapes
 * @param model        the model name to echo
 * @param prompt       the prompt text (a chat is rendered to one text first)
 * @param promptTokens prompt length in the model's tokens
 * @param maxTokens    {@code max_tokens}, after vLLM's defaulting
 * @param priority     {@code priority}, 0 when absent
 * @param ignoreEos    {@code ignore_eos}
 * @param stream       {@code stream}
 * @param usage        what {@code stream_options} asked for
 * @param outputTokensHint the vendor field {@code x_sim_output_len}: a forced output length
 */
record GenerationRequest(
        Api api,
        String model,
        String prompt,
        int promptTokens,
        int maxTokens,
        long priority,
        boolean ignoreEos,
        boolean stream,
        StreamUsage usage,
        OptionalLong outputTokensHint) {

    enum Api {
        COMPLETIONS,
        CHAT
    }

    /** {@code stream_options}: no usage, a final usage chunk, or usage on every chunk too. */
    enum StreamUsage {
        NONE,
        FINAL,
        CONTINUOUS
    }
}
