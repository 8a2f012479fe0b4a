package dev.schedbench.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Rows of the shape {@code lmsys/chatbot_arena_conversations} has on the datasets server (every column, nested). */
public final class ArenaRows {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] CATEGORIES = {"harassment", "harassment/threatening", "hate", "hate/threatening",
        "self-harm", "self-harm/instructions", "self-harm/intent", "sexual", "sexual/minors", "violence", "violence/graphic"};

    private ArenaRows() {}

    public static ArrayNode turn(ArrayNode conversation, String role, String content) {
        conversation.addObject().put("content", content).put("role", role);
        return conversation;
    }

    /** A conversation with a user question and an assistant answer. */
    public static ArrayNode dialogue(String question) {
        ArrayNode conv = F.arrayNode();
        turn(conv, "user", question);
        turn(conv, "assistant", "An answer to: " + question + " It goes on for a while, as answers in the arena do. ".repeat(6));
        return conv;
    }

    /** A full row whose {@code conversation_a} is the given node. */
    public static ObjectNode row(int i, com.fasterxml.jackson.databind.JsonNode conversationA) {
        ObjectNode row = F.objectNode();
        row.put("question_id", String.format("%032x", 0x9e3779b97f4a7c15L * (i + 1)));
        row.put("model_a", i % 2 == 0 ? "chatglm-6b" : "koala-13b");
        row.put("model_b", i % 3 == 0 ? "oasst-pythia-12b" : "vicuna-13b");
        row.put("winner", i % 4 == 0 ? "model_a" : "tie");
        row.put("judge", "arena_user_" + (i % 977));
        row.set("conversation_a", conversationA);
        row.set("conversation_b", dialogue("question " + i + " for model b"));
        row.put("turn", 1);
        row.put("anony", true);
        row.put("language", "English");
        row.put("tstamp", 1682351591.1322 + i);
        ObjectNode moderation = row.putObject("openai_moderation");
        ObjectNode categories = moderation.putObject("categories");
        ObjectNode scores = moderation.putObject("category_scores");
        for (int c = 0; c < CATEGORIES.length; c++) {
            categories.put(CATEGORIES[c], false);
            scores.put(CATEGORIES[c], 1.0e-6 * (c + 1) * ((i % 7) + 1));
        }
        moderation.put("flagged", false);
        ObjectNode toxic = row.putObject("toxic_chat_tag");
        toxic.putObject("roberta-large").put("flagged", false).put("probability", 0.0012 * (i % 5));
        toxic.putObject("t5-large").put("flagged", false).put("score", 0.0001 * (i % 9));
        return row;
    }

    public static ObjectNode row(int i, String question) {
        return row(i, dialogue(question));
    }

    /** The {@code features} array of the real dataset (types abbreviated where the client ignores them). */
    public static ArrayNode features() {
        ArrayNode features = F.arrayNode();
        String[] names = {"question_id", "model_a", "model_b", "winner", "judge", "conversation_a", "conversation_b",
            "turn", "anony", "language", "tstamp", "openai_moderation", "toxic_chat_tag"};
        for (int i = 0; i < names.length; i++) {
            ObjectNode f = features.addObject().put("feature_idx", i).put("name", names[i]);
            if (names[i].startsWith("conversation")) {
                ObjectNode type = f.putObject("type");
                type.put("_type", "List");
                ObjectNode inner = type.putObject("feature");
                inner.putObject("content").put("dtype", "string").put("_type", "Value");
                inner.putObject("role").put("dtype", "string").put("_type", "Value");
            } else {
                f.putObject("type").put("dtype", "string").put("_type", "Value");
            }
        }
        return features;
    }

    /** A {@code /rows} answer for rows {@code [offset, offset + rows.size())}. */
    public static ObjectNode page(List<ObjectNode> rows, long offset, long total, java.util.Set<Long> truncatedRows) {
        ObjectNode page = F.objectNode();
        page.set("features", features());
        ArrayNode items = page.putArray("rows");
        for (int k = 0; k < rows.size(); k++) {
            long idx = offset + k;
            ObjectNode item = items.addObject().put("row_idx", idx);
            ObjectNode row = rows.get(k);
            ArrayNode truncated = F.arrayNode();
            if (truncatedRows.contains(idx)) {
                row = row.deepCopy();
                String cut = row.get("conversation_a").toString();
                row.put("conversation_a", cut.substring(0, Math.min(40, cut.length())));
                truncated.add("conversation_a");
            }
            item.set("row", row);
            item.set("truncated_cells", truncated);
        }
        page.put("num_rows_total", total);
        page.put("num_rows_per_page", 100);
        page.put("partial", false);
        return page;
    }

    /** {@code n} rows cycling through {@code questions}, each tagged with its index. */
    public static List<ObjectNode> numbered(int n, List<String> questions) {
        List<ObjectNode> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(row(i, questions.get(i % questions.size()) + " #" + i));
        }
        return rows;
    }
}
