package dev.schedbench.model;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An online serving benchmark, as the seed's {@code online_benchmarking.py} (vLLM's
 * {@code benchmark_serving.py}) takes it. The CLI's {@code bench serve} and the wizard both build one.
 *
 * @param backend           only {@code vllm}, as the seed
 * @param baseUrl           server root, e.g. {@code http://localhost:8000}
 * @param endpoint          path of the completions endpoint
 * @param model             model id sent in requests
 * @param tokenizer         tokenizer id if it differs from the model
 * @param schedule          the policy the server runs; decides whether priorities are sent
 * @param datasetPath       the dataset file
 * @param numPrompts        how many requests to sample
 * @param requestRateRps    mean arrival rate; {@link Double#POSITIVE_INFINITY} sends all at once
 * @param burstiness        Gamma shape of inter-arrival times; 1 is Poisson
 * @param maxConcurrency    most requests in flight at once, if limited
 * @param seed              sampling and arrival seed
 * @param percentileMetrics which of ttft, tpot, itl, e2el get statistics
 * @param metricPercentiles which percentiles, e.g. 99 or 99.9
 * @param goodputSlosMs     SLOs for goodput by metric name (ttft, tpot, e2el), milliseconds
 * @param ignoreEos         send {@code ignore_eos}
 * @param metadata          extra key/value pairs written into the result
 * @param priority          where priorities come from when the schedule is priority-aware
 */
public record ServeSpec(
        String backend,
        URI baseUrl,
        String endpoint,
        String model,
        Optional<String> tokenizer,
        Policy schedule,
        Path datasetPath,
        int numPrompts,
        double requestRateRps,
        double burstiness,
        OptionalInt maxConcurrency,
        long seed,
        List<String> percentileMetrics,
        List<Double> metricPercentiles,
        Map<String, Double> goodputSlosMs,
        boolean ignoreEos,
        Map<String, String> metadata,
        PrioritySource priority) {

    public ServeSpec {
        percentileMetrics = List.copyOf(percentileMetrics);
        metricPercentiles = List.copyOf(metricPercentiles);
        goodputSlosMs = Map.copyOf(goodputSlosMs);
        // keeps the command line's order: vLLM writes metadata keys in the order they were given
        metadata = java.util.Collections.unmodifiableSequencedMap(new java.util.LinkedHashMap<>(metadata));
        if (numPrompts < 1) {
            throw new UserError("--num-prompts must be at least 1, got " + numPrompts);
        }
        if (!(requestRateRps > 0)) {
            throw new UserError("--request-rate must be > 0 or inf, got " + requestRateRps);
        }
        if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
            throw new UserError("--burstiness must be a finite number > 0, got " + burstiness);
        }
    }

    /** The tokenizer id to use: {@code --tokenizer} if given, else the model. */
    public String tokenizerId() {
        return tokenizer.orElse(model);
    }

    /** Whether priorities go on the wire: only to a server running a priority-aware policy. */
    public boolean sendsPriority() {
        return schedule.priorityAware() && !(priority instanceof PrioritySource.None);
    }
}
