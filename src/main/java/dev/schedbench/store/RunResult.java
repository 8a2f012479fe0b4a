package dev.schedbench.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * A run's result document (vLLM's result JSON, or the seed's latency/throughput JSON) as stored:
 * the scalar part as JSON, the per-request arrays left out (they live in the request rows), and the
 * order of every key so that the document can be rebuilt exactly as it was written.
 *
 * @param summaryJson the document without its per-request arrays
 * @param keys        every key of the original document, in its order
 * @param extraJson   anything else the run reported beside the document
 */
public record RunResult(Optional<String> summaryJson, List<String> keys, Optional<String> extraJson) {

    /** The arrays of vLLM's result document that hold one entry per request. */
    public static final List<String> PER_REQUEST_KEYS =
            List.of("input_lens", "output_lens", "ttfts", "itls", "generated_texts", "errors", "e2els");

    public static final RunResult NONE = new RunResult(Optional.empty(), List.of(), Optional.empty());

    public RunResult {
        keys = List.copyOf(keys);
    }

    public boolean isPresent() {
        return summaryJson.isPresent();
    }

    /** Splits a result document: per-request arrays out, everything else kept with the key order. */
    public static RunResult of(ObjectNode document, Optional<ObjectNode> extra) {
        ObjectNode summary = document.deepCopy();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : document.properties()) {
            keys.add(field.getKey());
            if (PER_REQUEST_KEYS.contains(field.getKey()) && field.getValue().isArray()) {
                summary.remove(field.getKey());
            }
        }
        return new RunResult(Optional.of(StoreJson.write(summary)), keys,
                extra.filter(e -> !e.isEmpty()).map(StoreJson::write));
    }

    /** The same from the maps a finished run reports. */
    static RunResult of(SequencedMap<String, Object> document, Map<String, Object> extra) {
        try {
            ObjectNode doc = StoreJson.MAPPER.valueToTree(document);
            ObjectNode ext = StoreJson.MAPPER.valueToTree(extra);
            return of(doc, Optional.of(ext));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("result document cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    static RunResult fromColumns(Optional<String> summaryJson, Optional<String> keysJson, Optional<String> extraJson) {
        List<String> keys = keysJson.map(RunResult::parseKeys).orElse(List.of());
        return new RunResult(summaryJson, keys, extraJson);
    }

    Optional<String> keysJson() {
        return summaryJson.map(s -> StoreJson.write(StoreJson.MAPPER.valueToTree(keys)));
    }

    private static List<String> parseKeys(String json) {
        try {
            List<String> keys = new ArrayList<>();
            StoreJson.MAPPER.readTree(json).forEach(k -> keys.add(k.asText()));
            return keys;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored result key list is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
