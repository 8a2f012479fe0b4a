package dev.schedbench.sim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.schedbench.sim.http.GenerationRequest.Api;
import dev.schedbench.sim.http.GenerationRequest.StreamUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads request bodies the way vLLM's pydantic models and serving code do, in vLLM's order: shape
 * and types (400), then the model name (404), then lengths and scheduling (400), each with vLLM's
 * message where a client might match on it.
 */
final class RequestParser {

    /** vLLM's {@code CompletionRequest.max_tokens} default. */
    static final int DEFAULT_COMPLETION_MAX_TOKENS = 16;

    private final ObjectMapper json;
    private final ServedModel served;

    RequestParser(ObjectMapper json, ServedModel served) {
        this.json = json;
        this.served = served;
    }

    GenerationRequest completion(String body) {
        JsonNode root = object(body);
        String prompt = completionPrompt(required(root, "prompt"));
        return generation(Api.COMPLETIONS, root, prompt, intField(root, "max_tokens"));
    }

    GenerationRequest chat(String body) {
        JsonNode root = object(body);
        String prompt = ChatTemplate.render(required(root, "messages"));
        OptionalInt maxTokens = intField(root, "max_completion_tokens");
        if (maxTokens.isEmpty()) {
            maxTokens = intField(root, "max_tokens");
        }
        return generation(Api.CHAT, root, prompt, maxTokens);
    }

    /** {@code /tokenize}: a completion-style {@code prompt} or chat {@code messages}. */
    Tokenized tokenize(String body) {
        JsonNode root = object(body);
        boolean addSpecialTokens = booleanField(root, "add_special_tokens", true);
        String text;
        if (root.hasNonNull("messages")) {
            text = ChatTemplate.render(root.get("messages"));
        } else {
            text = stringField(required(root, "prompt"), "prompt");
        }
        served.check(modelName(root));
        return new Tokenized(served.tokenizer().encode(text, addSpecialTokens));
    }

    /** {@code /detokenize}: token ids back to text. */
    String detokenize(String body) {
        JsonNode root = object(body);
        JsonNode tokens = required(root, "tokens");
        if (!tokens.isArray()) {
            throw invalid("tokens", "Input should be a valid list");
        }
        List<Integer> ids = new ArrayList<>();
        for (JsonNode id : tokens) {
            if (!id.canConvertToInt() || !id.isIntegralNumber()) {
                throw invalid("tokens", "Input should be a valid integer");
            }
            ids.add(id.intValue());
        }
        served.check(modelName(root));
        return served.tokenizer().decode(ids);
    }

    record Tokenized(int[] tokens) {}

    private GenerationRequest generation(Api api, JsonNode root, String prompt, OptionalInt requestedMaxTokens) {
        boolean stream = booleanField(root, "stream", false);
        StreamUsage usage = streamUsage(root, stream);
        long priority = longField(root, "priority").orElse(0);
        boolean ignoreEos = booleanField(root, "ignore_eos", false);
        OptionalLong hint = longField(root, "x_sim_output_len");
        checkSingleSequence(root);

        String model = modelName(root);
        served.check(model);

        if (prompt.isEmpty()) {
            throw ApiError.badRequest("The decoder prompt cannot be empty");
        }
        int promptTokens = served.tokenizer().countPrompt(prompt);
        int maxModelLen = served.maxModelLen();
        OptionalInt defaulted = api == Api.COMPLETIONS && requestedMaxTokens.isEmpty()
                ? OptionalInt.of(DEFAULT_COMPLETION_MAX_TOKENS)
                : requestedMaxTokens;
        int maxTokens;
        if (defaulted.isEmpty()) {
            if (promptTokens >= maxModelLen) {
                throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
                        + " tokens. However, you requested " + promptTokens + " tokens in the messages, "
                        + "Please reduce the length of the messages.");
            }
            maxTokens = maxModelLen - promptTokens;
        } else {
            maxTokens = defaulted.getAsInt();
            if (maxTokens < 1) {
                throw ApiError.badRequest("max_tokens must be at least 1, got " + maxTokens + ".");
            }
            if ((long) promptTokens + maxTokens > maxModelLen) {
                throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
                        + " tokens. However, you requested " + ((long) promptTokens + maxTokens) + " tokens ("
                        + promptTokens + " in the messages, " + maxTokens + " in the completion). "
                        + "Please reduce the length of the messages or completion.");
            }
        }
        if (priority != 0 && !served.policy().priorityAware()) {
            throw ApiError.badRequest("Got priority " + priority + " but Priority scheduling is not enabled.");
        }
        if (hint.isPresent() && hint.getAsLong() < 1) {
            throw invalid("x_sim_output_len", "Input should be greater than or equal to 1");
        }
        return new GenerationRequest(api, model, prompt, promptTokens, maxTokens, priority, ignoreEos, stream,
                usage, hint);
    }

    private static StreamUsage streamUsage(JsonNode root, boolean stream) {
        JsonNode options = root.get("stream_options");
        if (options == null || options.isNull()) {
            return StreamUsage.NONE;
        }
        if (!options.isObject()) {
            throw invalid("stream_options", "Input should be a valid dictionary or object to extract fields from");
        }
        if (!stream) {
            throw ApiError.badRequest("Stream options can only be defined when `stream=True`.");
        }
        // vLLM's StreamOptions: include_usage defaults to true once the object is given
        if (!booleanField(options, "include_usage", true)) {
            return StreamUsage.NONE;
        }
        return booleanField(options, "continuous_usage_stats", false) ? StreamUsage.CONTINUOUS : StreamUsage.FINAL;
    }

    private static void checkSingleSequence(JsonNode root) {
        OptionalLong n = longField(root, "n");
        if (n.isPresent() && n.getAsLong() != 1) {
            throw ApiError.badRequest("n=" + n.getAsLong() + " is not supported: the simulator generates one "
                    + "sequence per request; send n=1 or leave it out.");
        }
        OptionalLong bestOf = longField(root, "best_of");
        if (bestOf.isPresent() && bestOf.getAsLong() != 1) {
            throw ApiError.badRequest("best_of=" + bestOf.getAsLong() + " is not supported: the simulator "
                    + "generates one sequence per request; send best_of=1 or leave it out.");
        }
        if (booleanField(root, "use_beam_search", false)) {
            throw ApiError.badRequest("use_beam_search is not supported by the simulator.");
        }
    }

    private String modelName(JsonNode root) {
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            return served.name();
        }
        return stringField(model, "model");
    }

    private String completionPrompt(JsonNode prompt) {
        if (prompt.isTextual()) {
            return prompt.textValue();
        }
        if (!prompt.isArray()) {
            throw invalid("prompt", "Input should be a valid string or a list");
        }
        ArrayNode items = (ArrayNode) prompt;
        if (!items.isEmpty() && items.get(0).isIntegralNumber()) {
            List<Integer> ids = new ArrayList<>(items.size());
            for (JsonNode id : items) {
                if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                    throw invalid("prompt", "Input should be a valid integer");
                }
                ids.add(id.intValue());
            }
            return served.tokenizer().decode(ids);
        }
        if (items.size() != 1) {
            throw ApiError.badRequest("The simulator serves one prompt per request; send a single prompt, got "
                    + items.size() + ".");
        }
        return stringField(items.get(0), "prompt");
    }

    private JsonNode object(String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("JSON decode error: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("Input should be a valid dictionary or object to extract fields from");
        }
        return root;
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw invalid(field, "Field required");
        }
        return value;
    }

    private static String stringField(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw invalid(field, "Input should be a valid string");
        }
        return value.textValue();
    }

    private static boolean booleanField(JsonNode root, String field, boolean absent) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw invalid(field, "Input should be a valid boolean");
        }
        return value.booleanValue();
    }

    private static OptionalLong longField(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(field, "Input should be a valid integer");
        }
        return OptionalLong.of(value.longValue());
    }

    private static OptionalInt intField(JsonNode root, String field) {
        OptionalLong value = longField(root, field);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (value.getAsLong() > Integer.MAX_VALUE || value.getAsLong() < Integer.MIN_VALUE) {
            throw invalid(field, "Input should be a valid integer, number too large");
        }
        return OptionalInt.of((int) value.getAsLong());
    }

    private static ApiError invalid(String field, String problem) {
        return ApiError.badRequest("1 validation error: body." + field + ": " + problem);
    }
}
