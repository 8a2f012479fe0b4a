package dev.schedbench.cli;

import dev.schedbench.bench.Endpoints;
import dev.schedbench.bench.HttpTransport;
import dev.schedbench.bench.ServeResult;
import dev.schedbench.bench.ServingBenchmark;
import dev.schedbench.metrics.MetricsConfig;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import dev.schedbench.report.ConsoleReport;
import dev.schedbench.report.ResultFiles;
import dev.schedbench.store.RunRecorder;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code schedbench bench serve}: the seed's {@code online_benchmarking.py} (vLLM's
 * {@code benchmark_serving.py}) with its flags and defaults, plus the workbench's priority sources.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Online serving benchmark: stream completions at a request rate and report vLLM's metrics.",
            "Flags and defaults are those of the seed's online_benchmarking.py (vLLM's benchmark_serving.py)."
        })
public final class BenchServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = "--backend", defaultValue = "vllm", description = "Server kind; only vllm (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--base-url", paramLabel = "URL", description = "Server URL, e.g. http://gpu-box:8000; overrides --host and --port.")
    String baseUrl;

    @Option(names = "--host", defaultValue = "localhost", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--endpoint", defaultValue = "/v1/completions", description = "Completions path (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--model", required = true, description = "Model id the server serves, e.g. gpt2.")
    String model;

    @Option(names = "--tokenizer", description = "Tokenizer id when it differs from the model (for local token counting).")
    String tokenizer;

    @Option(names = "--schedule", defaultValue = "fcfs", converter = PolicyConverter.class, paramLabel = "POLICY",
            description = "The server's scheduling policy: fcfs, priority, priority-round-robin, round-robin,"
                    + " priority-round-robin-reverse (underscores too; default: ${DEFAULT-VALUE}). Priorities are sent"
                    + " only under a priority-aware policy.")
    Policy schedule;

    @Option(names = "--dataset-path", paramLabel = "FILE",
            description = "Dataset: the seed's {model}_data.json, ShareGPT JSON or JSON lines of {prompt, output_tokens}.")
    Path datasetPath;

    @Option(names = "--dataset", paramLabel = "FILE", hidden = true, description = "Same as --dataset-path (the seed's unused flag).")
    Path dataset;

    @Option(names = "--num-prompts", defaultValue = "1000", description = "Requests to send (default: ${DEFAULT-VALUE}).")
    int numPrompts;

    @Option(names = "--request-rate", defaultValue = "inf", converter = RateConverter.class, paramLabel = "RPS",
            description = "Mean requests per second; inf sends all at once (default: ${DEFAULT-VALUE}).")
    double requestRate;

    @Option(names = "--burstiness", defaultValue = "1.0",
            description = "Gamma shape of inter-arrival times: 1 is Poisson, <1 burstier, >1 steadier (default: ${DEFAULT-VALUE}).")
    double burstiness;

    @Option(names = "--max-concurrency", paramLabel = "N", description = "Most requests in flight at once (default: unlimited).")
    Integer maxConcurrency;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling and arrival seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--percentile-metrics", defaultValue = "ttft,tpot,itl",
            description = "Comma-separated metrics to report: ttft, tpot, itl, e2el (default: ${DEFAULT-VALUE}).")
    String percentileMetrics;

    @Option(names = "--metric-percentiles", defaultValue = "99",
            description = "Comma-separated percentiles to report, e.g. 25,50,99.9 (default: ${DEFAULT-VALUE}).")
    String metricPercentiles;

    @Option(names = "--goodput", arity = "1..*", paramLabel = "KEY:MS",
            description = "SLOs for goodput, e.g. ttft:500 tpot:50 e2el:3000 (milliseconds).")
    List<String> goodput = new ArrayList<>();

    @Option(names = "--save-result", description = "Save the result JSON (vLLM's keys and file name).")
    boolean saveResult;

    @Option(names = "--result-dir", paramLabel = "DIR", description = "Folder for the result file (default: current folder).")
    Path resultDir;

    @Option(names = "--result-filename", paramLabel = "NAME",
            description = "Result file name instead of vLLM's {backend}-{rate}qps[-concurrencyN]-{model}-{date}.json.")
    String resultFilename;

    @Option(names = "--metadata", arity = "1..*", paramLabel = "KEY=VALUE", description = "Extra key/value pairs saved in the result.")
    List<String> metadata = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "Ask the server to ignore end-of-sequence tokens (send ignore_eos).")
    boolean ignoreEos;

    @Option(names = "--disable-tqdm", description = "No progress bar.")
    boolean disableTqdm;

    @Option(names = "--priority", defaultValue = "oracle", converter = PriorityConverter.class, paramLabel = "SOURCE",
            description = "Where priorities come from: none, oracle (the dataset's output_tokens), binned:K, binned:E1,E2,...,"
                    + " noisy:SIGMA, predicted:FIELD (default: ${DEFAULT-VALUE}).")
    PrioritySource priority;

    @Option(names = "--best-of", defaultValue = "1", hidden = true, description = "Only 1: a streamed request has one answer.")
    int bestOf;

    @Option(names = "--logprobs", hidden = true, description = "Log probabilities per token to ask for.")
    Integer logprobs;

    @Option(names = "--use-beam-search", hidden = true, description = "Not supported, as in vLLM's serving benchmark.")
    boolean useBeamSearch;

    @Option(names = "--trust-remote-code", hidden = true, description = "Accepted; no model code is ever run here.")
    boolean trustRemoteCode;

    @Option(names = "--profile", hidden = true, description = "Start the server's torch profiler for the timed run.")
    boolean profile;

    @Option(names = "--http-client", defaultValue = "nio", paramLabel = "nio|jdk",
            description = "How requests are streamed: nio (one I/O thread, cheapest per token; http only) or jdk"
                    + " (java.net.http; used for https anyway) (default: ${DEFAULT-VALUE}).")
    String httpClient;

    @Option(names = "--no-store", description = "Do not record the run in the workspace's run database.")
    boolean noStore;

    @Mixin
    WorkspaceOption workspace;

    @Override
    public Integer call() {
        ServeSpec spec = spec();
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (resultFilename != null && !saveResult) {
            err.println("note: --result-filename has no effect without --save-result");
        }
        Optional<String> apiKey = Optional.ofNullable(System.getenv("OPENAI_API_KEY")).filter(k -> !k.isBlank());
        ServingBenchmark benchmark = new ServingBenchmark(spec, apiKey,
                new ServingBenchmark.Options(logprobs == null ? OptionalInt.empty() : OptionalInt.of(logprobs), profile,
                        HttpTransport.parse(httpClient)));
        ServeResult result;
        ProgressBar progress = new ProgressBar(err, !disableTqdm);
        if (noStore) {
            result = benchmark.run(progress);
        } else {
            try (RunRecorder recorder = RunRecorder.open(workspace.workspace())) {
                result = benchmark.run(RunListener.all(List.of(progress, recorder)));
            }
        }
        out.print(ConsoleReport.format(result.metrics(), MetricsConfig.of(spec)));
        out.flush();
        if (saveResult) {
            String name = resultFilename != null ? resultFilename : ResultFiles.fileName(spec, result.finishedAt());
            Path file = resultDir != null ? resultDir.resolve(name) : Path.of(name);
            ResultFiles.write(file, result.document(), result.extras());
            err.println("Result saved to " + file);
        }
        err.flush();
        if (result.metrics().completed() == 0) {
            String first = result.records().isEmpty() ? "none were sent" : result.records().getFirst().error();
            throw new UserError("all " + result.records().size() + " requests failed; the first failed with: " + first);
        }
        return 0;
    }

    ServeSpec spec() {
        if (!backend.equals("vllm")) {
            throw new UserError("--backend '" + backend + "' is not supported; only vllm (any OpenAI-compatible server)");
        }
        if (bestOf != 1) {
            throw new UserError("--best-of " + bestOf + " is not supported: a streamed completion has one answer; use 1");
        }
        if (useBeamSearch) {
            throw new UserError("--use-beam-search is not supported by the serving benchmark, as in vLLM's");
        }
        Path data = datasetPath != null ? datasetPath : dataset;
        if (data == null) {
            throw new CommandLine.ParameterException(command.commandLine(), "Missing required option: '--dataset-path=FILE'");
        }
        URI base = baseUrl != null ? Endpoints.baseUrl(baseUrl) : Endpoints.baseUrl("http://" + host + ":" + port);
        if (maxConcurrency != null && maxConcurrency < 1) {
            throw new UserError("--max-concurrency must be at least 1, got " + maxConcurrency);
        }
        return new ServeSpec(backend, base, endpoint.startsWith("/") ? endpoint : "/" + endpoint, model,
                Optional.ofNullable(tokenizer), schedule, data, numPrompts, requestRate, burstiness,
                maxConcurrency == null ? OptionalInt.empty() : OptionalInt.of(maxConcurrency), seed,
                splitList(percentileMetrics), percentiles(metricPercentiles), goodput(goodput), ignoreEos,
                metadata(metadata), priority);
    }

    private static List<String> splitList(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<Double> percentiles(String text) {
        List<Double> values = new ArrayList<>();
        for (String item : splitList(text)) {
            try {
                values.add(Double.parseDouble(item));
            } catch (NumberFormatException e) {
                throw new UserError("--metric-percentiles: '" + item + "' is not a number; give e.g. 50,90,99");
            }
        }
        return values;
    }

    /** vLLM's {@code parse_goodput}: {@code KEY:VALUE} pairs. */
    private static Map<String, Double> goodput(List<String> pairs) {
        Map<String, Double> slos = new LinkedHashMap<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            try {
                if (colon < 0) {
                    throw new NumberFormatException();
                }
                slos.put(pair.substring(0, colon).strip().toLowerCase(Locale.ROOT), Double.parseDouble(pair.substring(colon + 1).strip()));
            } catch (NumberFormatException e) {
                throw new UserError("Invalid format found for service level objectives in --goodput: '" + pair
                        + "'. Specify service level objectives for goodput as \"KEY:VALUE\" pairs, where the key is a metric"
                        + " name, and the value is a number in milliseconds.");
            }
        }
        return slos;
    }

    private static Map<String, String> metadata(List<String> pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserError("Invalid metadata format '" + pair + "'. Please use KEY=VALUE format.");
            }
            values.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return values;
    }

    static final class PolicyConverter implements CommandLine.ITypeConverter<Policy> {
        @Override
        public Policy convert(String value) {
            return Policy.parse(value);
        }
    }

    static final class PriorityConverter implements CommandLine.ITypeConverter<PrioritySource> {
        @Override
        public PrioritySource convert(String value) {
            return PrioritySource.parse(value);
        }
    }

    /** A rate in requests per second, where {@code inf} means all at once (Python's float spelling). */
    static final class RateConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("inf") || v.equals("+inf") || v.equals("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            double rate = Double.parseDouble(v);
            if (!(rate > 0)) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a rate > 0 (or inf)");
            }
            return rate;
        }
    }
}
