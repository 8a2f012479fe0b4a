package dev.schedbench.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The body of one streamed completion request: the seed's payload ({@code backend_request_func.py})
 * plus {@code stream_options.include_usage}, so the server reports how many tokens it generated.
 */
public final class CompletionPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompletionPayload() {}

    public static byte[] build(String model, String prompt, int maxTokens, boolean ignoreEos, OptionalLong priority) {
        return build(model, prompt, maxTokens, ignoreEos, priority, OptionalInt.empty());
    }

    public static byte[] build(String model, String prompt, int maxTokens, boolean ignoreEos, OptionalLong priority,
            OptionalInt logprobs) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("prompt", prompt);
        body.put("temperature", 0.0);
        body.put("best_of", 1);
        body.put("max_tokens", maxTokens);
        if (logprobs.isPresent()) {
            body.put("logprobs", logprobs.getAsInt());
        } else {
            body.putNull("logprobs");
        }
        body.put("stream", true);
        body.put("ignore_eos", ignoreEos);
        body.putObject("stream_options").put("include_usage", true);
        priority.ifPresent(p -> body.put("priority", p));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
    }
}
