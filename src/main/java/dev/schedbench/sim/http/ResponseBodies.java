package dev.schedbench.sim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * vLLM's JSON bodies with its field order and compact separators (pydantic {@code model_dump()}
 * through Starlette's {@code JSONResponse}), for everything except the streamed chunks.
 */
final class ResponseBodies {

    /** The vLLM release whose API the simulator speaks, with a local label saying it is the simulator. */
    static final String VERSION = "0.6.4+schedbench.sim";

    private final ObjectMapper json;

    ResponseBodies(ObjectMapper json) {
        this.json = json;
    }

    byte[] error(ApiError error) {
        return error(error.status(), error.type(), error.getMessage());
    }

    byte[] error(int status, String type, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("object", "error").put("message", message).put("type", type).putNull("param").put("code", status);
        return bytes(body);
    }

    /** FastAPI's own answer for a path or method it has no route for. */
    byte[] detail(String detail) {
        return bytes(json.createObjectNode().put("detail", detail));
    }

    byte[] completion(String id, long created, String model, String text, String finishReason, int promptTokens,
            int completionTokens) {
        ObjectNode body = head(id, "text_completion", created, model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("text", text).putNull("logprobs").put("finish_reason", finishReason)
                .putNull("stop_reason").putNull("prompt_logprobs");
        usage(body, promptTokens, completionTokens);
        return bytes(body);
    }

    byte[] chat(String id, long created, String model, String text, String finishReason, int promptTokens,
            int completionTokens) {
        ObjectNode body = head(id, "chat.completion", created, model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text).putArray("tool_calls");
        choice.putNull("logprobs").put("finish_reason", finishReason).putNull("stop_reason");
        usage(body, promptTokens, completionTokens);
        body.putNull("prompt_logprobs");
        return bytes(body);
    }

    byte[] models(ServedModel served, long created, String permissionId) {
        ObjectNode body = json.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String name : served.names()) {
            ObjectNode card = data.addObject();
            card.put("id", name).put("object", "model").put("created", created).put("owned_by", "vllm")
                    .put("root", served.name()).putNull("parent").put("max_model_len", served.maxModelLen());
            card.putArray("permission").addObject()
                    .put("id", permissionId).put("object", "model_permission").put("created", created)
                    .put("allow_create_engine", false).put("allow_sampling", true).put("allow_logprobs", true)
                    .put("allow_search_indices", false).put("allow_view", true).put("allow_fine_tuning", false)
                    .put("organization", "*").putNull("group").put("is_blocking", false);
        }
        return bytes(body);
    }

    byte[] tokenize(int[] tokens, int maxModelLen) {
        ObjectNode body = json.createObjectNode().put("count", tokens.length).put("max_model_len", maxModelLen);
        ArrayNode ids = body.putArray("tokens");
        for (int id : tokens) {
            ids.add(id);
        }
        return bytes(body);
    }

    byte[] detokenize(String prompt) {
        return bytes(json.createObjectNode().put("prompt", prompt));
    }

    byte[] version() {
        return bytes(json.createObjectNode().put("version", VERSION));
    }

    /** A JSON string literal, for the pre-encoded stream templates. */
    String quoted(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode head(String id, String object, long created, String model) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static void usage(ObjectNode body, int promptTokens, int completionTokens) {
        body.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens + completionTokens)
                .put("completion_tokens", completionTokens);
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
