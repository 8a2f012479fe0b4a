package dev.schedbench.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.model.ServeSpec;

/** The parts of a run's stored specification ({@code RunInfo.specJson}) that every serving benchmark writes alike. */
final class SpecJson {

    private SpecJson() {}

    /**
     * The workload: model, tokenizer, sampling, arrivals, concurrency and seed. Reports read
     * {@code request_rate} ({@code "inf"} for all at once) and {@code max_concurrency} (null for
     * unlimited) back from here.
     */
    static void putWorkload(ObjectNode node, ServeSpec spec) {
        node.put("model", spec.model());
        node.put("tokenizer", spec.tokenizerId());
        node.put("schedule", spec.schedule().cliName());
        node.put("dataset_path", spec.datasetPath().toString());
        node.put("num_prompts", spec.numPrompts());
        if (Double.isInfinite(spec.requestRateRps())) {
            node.put("request_rate", "inf");
        } else {
            node.put("request_rate", spec.requestRateRps());
        }
        node.put("burstiness", spec.burstiness());
        if (spec.maxConcurrency().isPresent()) {
            node.put("max_concurrency", spec.maxConcurrency().getAsInt());
        } else {
            node.putNull("max_concurrency");
        }
        node.put("seed", spec.seed());
    }
}
