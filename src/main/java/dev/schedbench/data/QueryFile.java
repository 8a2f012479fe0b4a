package dev.schedbench.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the prompts a dataset is built from: the seed's {@code chatbot_queries.json} (a JSON array of
 * strings), the inputs of an existing dataset (an array of objects with {@code "input"}), or JSON
 * Lines of either. Anything else is a {@link UserError} naming the file and the entry.
 */
public final class QueryFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryFile() {}

    /** The first {@code limit} prompts of {@code file}, in order. */
    public static List<String> read(Path file, int limit) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("queries file " + file + " does not exist; download it with 'schedbench download-queries' "
                    + "or pass --queries FILE (a JSON array of prompt strings).");
        } catch (IOException e) {
            throw new UserError("cannot read queries file " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8).stripLeading();
        List<String> prompts = new ArrayList<>();
        if (text.startsWith("[")) {
            readArray(file, bytes, limit, prompts);
        } else {
            readLines(file, text, limit, prompts);
        }
        if (prompts.isEmpty()) {
            throw new UserError("queries file " + file + " holds no prompts.");
        }
        return prompts;
    }

    private static void readArray(Path file, byte[] bytes, int limit, List<String> prompts) {
        try (JsonParser p = JSON.createParser(bytes)) {
            p.nextToken();
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY && prompts.size() < limit) {
                if (p.currentToken() == null) {
                    throw new UserError("queries file " + file + " ends before its closing ']' (cut short?).");
                }
                prompts.add(prompt(file, index, p.readValueAsTree()));
                index++;
            }
        } catch (IOException e) {
            throw new UserError("queries file " + file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void readLines(Path file, String text, int limit, List<String> prompts) {
        int lineNo = 0;
        for (String line : text.lines().toList()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (prompts.size() >= limit) {
                break;
            }
            try {
                prompts.add(prompt(file, lineNo - 1, JSON.readTree(line)));
            } catch (IOException e) {
                throw new UserError("queries file " + file + ": line " + lineNo + " is not JSON; expected a JSON array of "
                        + "strings or JSON Lines of strings.");
            }
        }
    }

    private static String prompt(Path file, int index, JsonNode node) {
        if (node != null && node.isTextual()) {
            return node.asText();
        }
        if (node != null && node.isObject() && node.path("input").isTextual()) {
            return node.path("input").asText();
        }
        if (node != null && node.isObject() && node.path("prompt").isTextual()) {
            return node.path("prompt").asText();
        }
        String kind = node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        throw new UserError("queries file " + file + ": entry " + index + " is " + kind
                + ", expected a prompt string (or an object with an \"input\" string).");
    }
}
