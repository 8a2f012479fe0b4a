package dev.schedbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.data.Dataset;
import dev.schedbench.data.DatasetReader;
import dev.schedbench.data.LocalTokenCounter;
import dev.schedbench.data.TokenCounter;
import dev.schedbench.metrics.BenchmarkMetrics;
import dev.schedbench.metrics.MetricsConfig;
import dev.schedbench.metrics.ServingMetrics;
import dev.schedbench.metrics.VllmResult;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunInfo;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.Arrival;
import dev.schedbench.sim.RequestTiming;
import dev.schedbench.sim.SimEngines;
import dev.schedbench.sim.SimRequest;
import dev.schedbench.sim.VirtualEngine;
import dev.schedbench.sim.VirtualResult;
import dev.schedbench.sim.engine.EngineOptions;
import dev.schedbench.sim.engine.EngineSettings;
import dev.schedbench.sim.profile.Profile;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * The serving benchmark of {@link ServingBenchmark} run against the simulator in virtual time, with no
 * HTTP: the same sampling, priorities and arrival schedule, the engine instead of a server, and the
 * same metrics, result document and report. A run takes as long as the CPU needs, not as long as it
 * simulates.
 *
 * <p>Each request's natural output length is its dataset row's {@code output_tokens}, the length the
 * model produced when the dataset was made; a dataset made against the simulator therefore replays
 * exactly as the simulator's HTTP server would serve it (docs/decisions/0302).
 */
public final class VirtualServingBenchmark {

    private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeSpec spec;
    private final ServerConfig server;
    private final EngineOptions options;

    /**
     * @param spec    the benchmark; its {@code schedule} must be the server's policy
     * @param server  the simulated server's flags
     * @param options the simulator's engine switches
     */
    public VirtualServingBenchmark(ServeSpec spec, ServerConfig server, EngineOptions options) {
        if (spec.schedule() != server.policy()) {
            throw new IllegalArgumentException("the benchmark's schedule " + spec.schedule() + " is not the server's policy "
                    + server.policy());
        }
        this.spec = spec;
        this.server = server;
        this.options = options;
    }

    public ServeResult run(RunListener listener) {
        MetricsConfig metricsConfig = MetricsConfig.of(spec);
        Profile profile = SimEngines.profileFor(server);
        VirtualEngine engine = SimEngines.virtual(server, profile, options);
        EngineSettings settings = engine.settings();
        log(listener, "Simulator: profile " + profile.name() + " (" + profile.hardware() + "), scheduler "
                + settings.generation().name().toLowerCase(Locale.ROOT) + ", policy " + settings.policy() + ", "
                + settings.numGpuBlocks() + " KV blocks, max_num_seqs " + settings.maxNumSeqs()
                + ", max_num_batched_tokens " + settings.maxNumBatchedTokens()
                + (settings.chunkedPrefill() ? ", chunked prefill" : ""));
        TokenCounter counter = LocalTokenCounter.forModel(spec.tokenizerId());
        log(listener, "Token counting: " + counter.description());
        Dataset dataset = DatasetReader.read(spec.datasetPath(), counter);
        log(listener, "Dataset " + spec.datasetPath() + ": " + dataset.size() + " rows (" + dataset.format().description() + ")");
        List<SampledRequest> sampled = RequestSampler.sample(dataset, spec.numPrompts(), spec.seed(), counter);
        if (sampled.isEmpty()) {
            throw new UserError("no request left to send from dataset " + spec.datasetPath()
                    + ": every row is too short (under 4 tokens) or too long; use a dataset with longer prompts and answers");
        }
        if (sampled.size() < spec.numPrompts()) {
            log(listener, "Only " + sampled.size() + " of the " + spec.numPrompts()
                    + " requested prompts pass the length filters; sending " + sampled.size());
        }
        List<Priorities.Assigned> priorities = Priorities.assign(sampled, spec.priority(), spec.seed());
        ArrivalSchedule schedule = ArrivalSchedule.of(sampled.size(), spec.requestRateRps(), spec.burstiness(), spec.seed());
        List<Arrival> arrivals = new ArrayList<>(sampled.size());
        List<OptionalLong> sentPriorities = new ArrayList<>(sampled.size());
        for (int i = 0; i < sampled.size(); i++) {
            SampledRequest r = sampled.get(i);
            Priorities.Assigned p = priorities.get(i);
            OptionalLong sent = spec.sendsPriority() && p.hasPriority() ? OptionalLong.of(p.priority()) : OptionalLong.empty();
            sentPriorities.add(sent);
            SimRequest request = new SimRequest("cmpl-" + i, r.prompt(), r.promptTokens(), r.outputTokens(),
                    sent.orElse(0), spec.ignoreEos(), OptionalLong.of(r.outputTokens()));
            arrivals.add(new Arrival(schedule.offsetNanos(i), request));
        }
        log(listener, "Traffic request rate: " + ServingBenchmark.rateText(spec.requestRateRps()));
        log(listener, "Burstiness factor: " + spec.burstiness() + (spec.burstiness() == 1.0 ? " (Poisson process)" : ""));
        log(listener, "Maximum request concurrency: "
                + (spec.maxConcurrency().isPresent() ? spec.maxConcurrency().getAsInt() : "None"));
        RunInfo info = new RunInfo("sim", "sim", spec.model(), spec.schedule(), specJson(profile, settings, counter),
                Optional.empty(), arrivals.size());
        listener.on(new RunEvent.Started(info, Instant.now(), System.nanoTime()));
        long cpuStart = System.nanoTime();
        VirtualResult result = engine.run(arrivals, spec.maxConcurrency());
        long cpuNanos = System.nanoTime() - cpuStart;
        List<RequestRecord> records = new ArrayList<>(arrivals.size());
        long lastCompletion = 0;
        int completed = 0;
        for (RequestTiming t : result.requests()) {
            SampledRequest r = sampled.get(t.index());
            RequestRecord record = record(t, r, sentPriorities.get(t.index()), priorities.get(t.index()).priorityClass());
            records.add(record);
            lastCompletion = Math.max(lastCompletion, t.finishNanos());
            completed += record.success() ? 1 : 0;
            listener.on(new RunEvent.RequestFinished(record));
        }
        long durationNanos = Math.max(1, lastCompletion);
        listener.on(new RunEvent.Snapshot(durationNanos, 0, completed, records.size() - completed,
                result.outputTokens() / (durationNanos / 1e9), records.size() / (durationNanos / 1e9)));
        LocalDateTime finishedAt = LocalDateTime.now();
        BenchmarkMetrics metrics = ServingMetrics.compute(records, durationNanos, metricsConfig, spec.requestRateRps());
        SequencedMap<String, Object> document = VllmResult.document(spec, VLLM_DATE.format(finishedAt), metrics, records,
                metricsConfig);
        SequencedMap<String, Object> extras = new LinkedHashMap<>(VllmResult.extras(metrics));
        extras.put("schedbench_token_counting", counter.description());
        extras.put("schedbench_priority", spec.sendsPriority() ? spec.priority().spec() : "not sent");
        extras.put("schedbench_simulator", simulatorSection(profile, settings, result, cpuNanos));
        listener.on(new RunEvent.Finished(document, extras));
        return new ServeResult(spec, records, durationNanos, metrics, document, extras, finishedAt, counter.description());
    }

    private static RequestRecord record(RequestTiming t, SampledRequest r, OptionalLong priority, int priorityClass) {
        if (!t.success()) {
            return new RequestRecord(t.index(), r.promptTokens(), 0, r.outputTokens(), priority, priorityClass,
                    t.scheduledNanos(), t.arrivalNanos(), 0, 0, new long[0], "", t.error().orElseThrow());
        }
        return new RequestRecord(t.index(), r.promptTokens(), t.outputTokens(), r.outputTokens(), priority, priorityClass,
                t.scheduledNanos(), t.arrivalNanos(), t.ttftNanos(), t.e2eNanos(), t.itlNanos(), "", "");
    }

    private static SequencedMap<String, Object> simulatorSection(Profile profile, EngineSettings s, VirtualResult result,
            long cpuNanos) {
        SequencedMap<String, Object> section = new LinkedHashMap<>();
        section.put("profile", profile.name());
        section.put("hardware", profile.hardware());
        section.put("scheduler", s.generation().name().toLowerCase(Locale.ROOT));
        section.put("scheduling_policy", s.policy().vllmName());
        section.put("max_num_seqs", s.maxNumSeqs());
        section.put("max_num_batched_tokens", s.maxNumBatchedTokens());
        section.put("max_model_len", s.maxModelLen());
        section.put("block_size", s.blockSize());
        section.put("num_gpu_blocks", s.numGpuBlocks());
        section.put("num_cpu_blocks", s.numCpuBlocks());
        section.put("enable_chunked_prefill", s.chunkedPrefill());
        section.put("preemption_mode", s.preemptsBySwap() ? "swap" : "recompute");
        section.put("steps_before_preemption", s.stepsBeforePreemption());
        section.put("preemptions", result.preemptions());
        section.put("engine_steps", result.steps().size());
        section.put("prompt_tokens_computed", result.promptTokensComputed());
        section.put("simulated_seconds", result.durationNanos() / 1e9);
        section.put("cpu_seconds", cpuNanos / 1e9);
        return section;
    }

    private String specJson(Profile profile, EngineSettings settings, TokenCounter counter) {
        ObjectNode node = JSON.createObjectNode();
        SpecJson.putWorkload(node, spec);
        node.put("ignore_eos", spec.ignoreEos());
        node.put("priority", spec.priority().spec());
        node.put("sends_priority", spec.sendsPriority());
        node.put("token_counting", counter.description());
        ObjectNode sim = node.putObject("server");
        sim.put("profile", profile.name());
        sim.put("scheduler", settings.generation().name().toLowerCase(Locale.ROOT));
        sim.put("max_num_seqs", settings.maxNumSeqs());
        sim.put("max_num_batched_tokens", settings.maxNumBatchedTokens());
        sim.put("max_model_len", settings.maxModelLen());
        sim.put("block_size", settings.blockSize());
        sim.put("swap_space", server.swapSpaceGib());
        sim.put("gpu_memory_utilization", server.gpuMemoryUtilization());
        sim.put("enable_chunked_prefill", settings.chunkedPrefill());
        sim.put("steps_before_preemption", settings.stepsBeforePreemption());
        sim.put("preemption_mode", settings.preemptsBySwap() ? "swap" : "recompute");
        return node.toString();
    }

    private static void log(RunListener listener, String line) {
        listener.on(new RunEvent.Log("sim", line));
    }
}
