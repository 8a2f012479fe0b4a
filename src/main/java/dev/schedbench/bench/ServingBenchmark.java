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
import dev.schedbench.model.UserError;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The online serving benchmark (the seed's {@code online_benchmarking.py}, i.e. vLLM's
 * {@code benchmark_serving.py}): sample requests, send one test request, then send every request at its
 * precomputed time, each streamed on its own virtual thread, and compute vLLM's metrics. Progress is
 * reported as {@link RunEvent}s; the caller's thread paces the sends.
 */
public final class ServingBenchmark {

    /** How often the live view gets a {@link RunEvent.Snapshot}. */
    public static final long SNAPSHOT_INTERVAL_NANOS = 250_000_000L;

    private static final DateTimeFormatter VLLM_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Request settings of vLLM's benchmark that the workbench's spec leaves at their defaults.
     *
     * @param logprobs {@code --logprobs}: sent as the request's {@code logprobs}
     * @param profile  {@code --profile}: start the server's profiler before the timed run and stop it after
     * @param transport which HTTP implementation streams the requests
     */
    public record Options(OptionalInt logprobs, boolean profile, HttpTransport transport) {
        public static final Options DEFAULT = new Options(OptionalInt.empty(), false, HttpTransport.NIO);

        public Options withTransport(HttpTransport chosen) {
            return new Options(logprobs, profile, chosen);
        }
    }

    private final ServeSpec spec;
    private final Optional<String> apiKey;
    private final Options options;

    /** @param apiKey sent as a bearer token ({@code $OPENAI_API_KEY}); never logged or stored */
    public ServingBenchmark(ServeSpec spec, Optional<String> apiKey) {
        this(spec, apiKey, Options.DEFAULT);
    }

    public ServingBenchmark(ServeSpec spec, Optional<String> apiKey, Options options) {
        this.spec = spec;
        this.apiKey = apiKey;
        this.options = options;
    }

    public ServeResult run(RunListener listener) {
        MetricsConfig metricsConfig = MetricsConfig.of(spec);
        URI apiUrl = Endpoints.join(spec.baseUrl(), spec.endpoint());
        // the dataset first: a bad file is reported as such even when no server is up yet
        Dataset dataset = DatasetReader.read(spec.datasetPath(), LocalTokenCounter.forModel(spec.tokenizerId()));
        try (CompletionClient client = new CompletionClient(apiUrl, apiKey, options.transport())) {
            TokenCounter counter = ServerTokenCounter.probe(client.http(), spec.baseUrl(), spec.model())
                    .<TokenCounter>map(c -> c)
                    .orElseGet(() -> LocalTokenCounter.forModel(spec.tokenizerId()));
            log(listener, "Token counting: " + counter.description());
            log(listener, "Dataset " + spec.datasetPath() + ": " + dataset.size() + " rows (" + dataset.format().description() + ")");
            List<SampledRequest> sampled = RequestSampler.sample(dataset, spec.numPrompts(), spec.seed(), counter);
            if (sampled.size() < spec.numPrompts()) {
                log(listener, "Only " + sampled.size() + " of the " + spec.numPrompts()
                        + " requested prompts pass the length filters; sending " + sampled.size());
            }
            List<PlannedRequest> plan = plan(sampled);
            warmUp(client, plan.getFirst(), listener);
            ArrivalSchedule schedule = ArrivalSchedule.of(plan.size(), spec.requestRateRps(), spec.burstiness(), spec.seed());
            log(listener, "Traffic request rate: " + rateText(spec.requestRateRps()));
            log(listener, "Burstiness factor: " + spec.burstiness() + (spec.burstiness() == 1.0 ? " (Poisson process)" : ""));
            log(listener, "Maximum request concurrency: "
                    + (spec.maxConcurrency().isPresent() ? spec.maxConcurrency().getAsInt() : "None"));
            RunInfo info = new RunInfo("serve", "remote", spec.model(), spec.schedule(), specJson(counter),
                    Optional.empty(), plan.size());
            if (options.profile()) {
                profiler(client, "/start_profile", listener);
            }
            Timed timed = new Run(client, plan, schedule, counter, listener).execute(info);
            if (options.profile()) {
                profiler(client, "/stop_profile", listener);
            }
            LocalDateTime finishedAt = LocalDateTime.now();
            BenchmarkMetrics metrics = ServingMetrics.compute(timed.records(), timed.durationNanos(), metricsConfig,
                    spec.requestRateRps());
            SequencedMap<String, Object> document = VllmResult.document(spec, VLLM_DATE.format(finishedAt), metrics,
                    timed.records(), metricsConfig);
            SequencedMap<String, Object> extras = new LinkedHashMap<>(VllmResult.extras(metrics));
            extras.put("schedbench_token_counting", counter.description());
            extras.put("schedbench_priority", spec.sendsPriority() ? spec.priority().spec() : "not sent");
            listener.on(new RunEvent.Finished(document, extras));
            return new ServeResult(spec, timed.records(), timed.durationNanos(), metrics, document, extras, finishedAt,
                    counter.description());
        }
    }

    private List<PlannedRequest> plan(List<SampledRequest> sampled) {
        List<Priorities.Assigned> priorities = Priorities.assign(sampled, spec.priority(), spec.seed());
        List<PlannedRequest> plan = new ArrayList<>(sampled.size());
        for (int i = 0; i < sampled.size(); i++) {
            SampledRequest r = sampled.get(i);
            Priorities.Assigned p = priorities.get(i);
            OptionalLong sent = spec.sendsPriority() && p.hasPriority() ? OptionalLong.of(p.priority()) : OptionalLong.empty();
            byte[] payload = CompletionPayload.build(spec.model(), r.prompt(), r.outputTokens(), spec.ignoreEos(), sent,
                    options.logprobs());
            plan.add(new PlannedRequest(i, r.promptTokens(), r.outputTokens(), sent, p.priorityClass(), payload));
        }
        return plan;
    }

    /** vLLM sends the first request once before timing anything, and stops if it fails. */
    private void warmUp(CompletionClient client, PlannedRequest first, RunListener listener) {
        log(listener, "Starting initial single prompt test run...");
        StreamOutcome outcome = client.stream(first.payload(), System.nanoTime(), TokenTally.NONE);
        if (!outcome.success()) {
            throw new UserError("the test request to " + client.apiUrl() + " failed: " + outcome.error()
                    + "; check that the server is up and serves model '" + spec.model() + "'");
        }
        log(listener, "Initial test run completed. Starting main benchmark run...");
    }

    /** vLLM's {@code --profile}: the server's torch profiler, which it has only when started with a trace folder. */
    private void profiler(CompletionClient client, String path, RunListener listener) {
        URI url = Endpoints.join(spec.baseUrl(), path);
        log(listener, (path.contains("start") ? "Starting" : "Stopping") + " the profiler...");
        try {
            var response = client.http().send(java.net.http.HttpRequest.newBuilder(url)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new UserError("--profile: " + url + " answered " + CompletionClient.httpError(response.statusCode(),
                        response.body()) + "; start vLLM with VLLM_TORCH_PROFILER_DIR set to profile it");
            }
        } catch (java.io.IOException e) {
            throw new UserError("--profile: " + CompletionClient.describe(e, url), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while calling " + url, e);
        }
    }

    private String specJson(TokenCounter counter) {
        ObjectNode node = JSON.createObjectNode();
        node.put("backend", spec.backend());
        node.put("base_url", spec.baseUrl().toString());
        node.put("endpoint", spec.endpoint());
        SpecJson.putWorkload(node, spec);
        spec.percentileMetrics().forEach(node.putArray("percentile_metrics")::add);
        spec.metricPercentiles().forEach(node.putArray("metric_percentiles")::add);
        ObjectNode goodput = node.putObject("goodput");
        spec.goodputSlosMs().forEach(goodput::put);
        node.put("ignore_eos", spec.ignoreEos());
        ObjectNode metadata = node.putObject("metadata");
        spec.metadata().forEach(metadata::put);
        node.put("priority", spec.priority().spec());
        node.put("sends_priority", spec.sendsPriority());
        node.put("token_counting", counter.description());
        if (options.logprobs().isPresent()) {
            node.put("logprobs", options.logprobs().getAsInt());
        }
        node.put("profile", options.profile());
        node.put("http_client", options.transport().cliName());
        return node.toString();
    }

    static String rateText(double rateRps) {
        return Double.isInfinite(rateRps) ? "inf" : Double.toString(rateRps);
    }

    private static void log(RunListener listener, String line) {
        listener.on(new RunEvent.Log("bench", line));
    }

    private record Timed(List<RequestRecord> records, long durationNanos) {}

    /** The timed part: one dispatcher (the caller's thread) and a virtual thread per request. */
    private final class Run {
        private final CompletionClient client;
        private final List<PlannedRequest> plan;
        private final ArrivalSchedule schedule;
        private final TokenCounter counter;
        private final RunListener listener;
        private final RequestRecord[] records;
        private final Optional<Semaphore> limit;
        private final LongAdder streamedTokens = new LongAdder();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger completed = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong lastCompletionNanos = new AtomicLong(Long.MIN_VALUE);
        private long startNanos;

        Run(CompletionClient client, List<PlannedRequest> plan, ArrivalSchedule schedule, TokenCounter counter,
                RunListener listener) {
            this.client = client;
            this.plan = plan;
            this.schedule = schedule;
            this.counter = counter;
            this.listener = listener;
            this.records = new RequestRecord[plan.size()];
            this.limit = spec.maxConcurrency().isPresent()
                    ? Optional.of(new Semaphore(spec.maxConcurrency().getAsInt()))
                    : Optional.empty();
        }

        Timed execute(RunInfo info) {
            startNanos = System.nanoTime();
            listener.on(new RunEvent.Started(info, Instant.now(), startNanos));
            Thread ticker = Thread.ofVirtual().name("serve-snapshots").start(this::tick);
            int dispatched = 0;
            List<CompletableFuture<?>> pending = new ArrayList<>(plan.size());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                try {
                    for (; dispatched < plan.size(); dispatched++) {
                        long scheduled = schedule.offsetNanos(dispatched);
                        parkUntil(startNanos + scheduled);
                        PlannedRequest request = plan.get(dispatched);
                        if (limit.isPresent()) {
                            pool.execute(() -> sendWhenAllowed(request, scheduled));
                        } else {
                            pending.add(send(request, scheduled, pool));
                        }
                    }
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            } finally {
                ticker.interrupt();
            }
            joinQuietly(ticker);
            long end = lastCompletionNanos.get();
            long duration = end == Long.MIN_VALUE ? System.nanoTime() - startNanos : end - startNanos;
            listener.on(snapshot(duration, 0));
            List<RequestRecord> done = Arrays.stream(records).filter(r -> r != null).toList();
            if (Thread.currentThread().isInterrupted()) {
                String message = "benchmark interrupted after " + dispatched + " of " + plan.size() + " requests were sent";
                listener.on(new RunEvent.Failed(message, true));
                throw new UserError(message);
            }
            return new Timed(done, Math.max(1, duration));
        }

        /**
         * Sends from the pacing thread itself, so that nothing stands between the deadline and the
         * request leaving; the outcome is recorded on a virtual thread.
         */
        private CompletableFuture<Void> send(PlannedRequest request, long scheduledNanos, ExecutorService pool) {
            inFlight.incrementAndGet();
            long sendNanos = System.nanoTime();
            return client.start(request.payload(), sendNanos, streamedTokens::add)
                    .thenAcceptAsync(outcome -> finish(request, scheduledNanos, sendNanos, outcome), pool);
        }

        /** With {@code --max-concurrency}: wait for a slot on the request's own virtual thread, as vLLM's semaphore does. */
        private void sendWhenAllowed(PlannedRequest request, long scheduledNanos) {
            Semaphore slots = limit.orElseThrow();
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            StreamOutcome outcome;
            long sendNanos;
            try {
                inFlight.incrementAndGet();
                sendNanos = System.nanoTime();
                outcome = client.stream(request.payload(), sendNanos, streamedTokens::add);
            } finally {
                slots.release();
            }
            finish(request, scheduledNanos, sendNanos, outcome);
        }

        private void finish(PlannedRequest request, long scheduledNanos, long sendNanos, StreamOutcome outcome) {
            // a stream's end is when its last byte came, not when this thread got to it
            long finishedNanos = outcome.success() ? sendNanos + outcome.e2elNanos() : System.nanoTime();
            lastCompletionNanos.accumulateAndGet(finishedNanos, Math::max);
            inFlight.decrementAndGet();
            RequestRecord record = record(request, scheduledNanos, sendNanos - startNanos, outcome);
            records[request.index()] = record;
            (record.success() ? completed : failed).incrementAndGet();
            listener.on(new RunEvent.RequestFinished(record));
        }

        private RequestRecord record(PlannedRequest request, long scheduledNanos, long actualNanos, StreamOutcome o) {
            int outputTokens = 0;
            if (o.success()) {
                outputTokens = o.completionTokens().isPresent()
                        ? (int) o.completionTokens().getAsLong()
                        : counter.count(o.text());
            }
            return new RequestRecord(request.index(), request.promptTokens(), outputTokens, request.maxTokens(),
                    request.priority(), request.priorityClass(), scheduledNanos, actualNanos, o.ttftNanos(), o.e2elNanos(),
                    o.itlNanos(), o.text(), o.error());
        }

        private long windowTokens;
        private int windowCompletions;
        private long windowStart;

        private void tick() {
            long next = startNanos + SNAPSHOT_INTERVAL_NANOS;
            try {
                while (true) {
                    parkUntil(next);
                    listener.on(snapshot(System.nanoTime() - startNanos, inFlight.get()));
                    next += SNAPSHOT_INTERVAL_NANOS;
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        }

        /** Rates over the interval since the previous snapshot. */
        private synchronized RunEvent.Snapshot snapshot(long elapsedNanos, int inFlightNow) {
            long tokens = streamedTokens.sum();
            int completions = completed.get() + failed.get();
            double seconds = Math.max(1e-9, (elapsedNanos - windowStart) / 1e9);
            double tokenRate = (tokens - windowTokens) / seconds;
            double requestRate = (completions - windowCompletions) / seconds;
            windowTokens = tokens;
            windowCompletions = completions;
            windowStart = elapsedNanos;
            return new RunEvent.Snapshot(elapsedNanos, inFlightNow, completed.get(), failed.get(), tokenRate, requestRate);
        }
    }

    /** Parks until {@code deadlineNanos} ({@link System#nanoTime()}); absolute, so delays never add up. */
    static void parkUntil(long deadlineNanos) throws InterruptedException {
        for (long wait = deadlineNanos - System.nanoTime(); wait > 0; wait = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
