package dev.schedbench.sim.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns chat messages into the one prompt text the simulator schedules and counts. Real models apply
 * their own Jinja chat template; the simulator uses one plain template for every model:
 * {@code "role: content\n"} per message, then {@code "assistant:"}. Chat prompt counts are therefore
 * close to, not equal to, a real server's (docs/decisions/0401-simulator-tokenizer-and-text.md).
 */
final class ChatTemplate {

    private ChatTemplate() {}

    static String render(JsonNode messages) {
        if (!messages.isArray()) {
            throw invalid("Input should be a valid list");
        }
        if (messages.isEmpty()) {
            throw ApiError.badRequest("messages must contain at least one message");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages) {
            if (!message.isObject()) {
                throw invalid("Input should be a valid dictionary");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual()) {
                throw ApiError.badRequest("1 validation error: body.messages.role: Field required");
            }
            text.append(role.textValue()).append(": ").append(content(message.get("content"))).append('\n');
        }
        return text.append("assistant:").toString();
    }

    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw invalid("content should be a string or a list of parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode partText = part.get("text");
            if ("text".equals(part.path("type").asText()) && partText != null && partText.isTextual()) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(partText.textValue());
            } else {
                throw ApiError.badRequest("The simulator accepts only text content parts.");
            }
        }
        return text.toString();
    }

    private static ApiError invalid(String problem) {
        return ApiError.badRequest("1 validation error: body.messages: " + problem);
    }
}
