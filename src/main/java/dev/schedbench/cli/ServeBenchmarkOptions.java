package dev.schedbench.cli;

import dev.schedbench.bench.ServeResult;
import dev.schedbench.metrics.MetricsConfig;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import dev.schedbench.report.ConsoleReport;
import dev.schedbench.report.ResultFiles;
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
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The serving benchmark's workload, metric and output flags (the seed's {@code online_benchmarking.py},
 * i.e. vLLM's {@code benchmark_serving.py}), shared by {@code bench serve} and {@code sim run}.
 */
final class ServeBenchmarkOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    @Option(names = "--tokenizer", description = "Tokenizer id when it differs from the model (for local token counting).")
    String tokenizer;

    @Option(names = "--dataset-path", paramLabel = "FILE",
            description = "Dataset: the seed's {model}_data.json, ShareGPT JSON or JSON lines of {prompt, output_tokens}.")
    Path datasetPath;

    @Option(names = "--dataset", paramLabel = "FILE", hidden = true, description = "Same as --dataset-path (the seed's unused flag).")
    Path dataset;

    @Option(names = "--num-prompts", defaultValue = "1000", description = "Requests to send (default: ${DEFAULT-VALUE}).")
    int numPrompts;

    @Option(names = "--request-rate", defaultValue = "inf", converter = CliConverters.RateConverter.class, paramLabel = "RPS",
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

    @Option(names = "--priority", defaultValue = "oracle", converter = CliConverters.PriorityConverter.class, paramLabel = "SOURCE",
            description = "Where priorities come from: none, oracle (the dataset's output_tokens), binned:K, binned:E1,E2,...,"
                    + " noisy:SIGMA, predicted:FIELD (default: ${DEFAULT-VALUE}).")
    PrioritySource priority;

    @Option(names = "--no-store", description = "Do not record the run in the workspace database.")
    boolean noStore;

    /** The benchmark these flags describe, against {@code baseUrl} for a server running {@code schedule}. */
    ServeSpec spec(String backend, URI baseUrl, String endpoint, String model, Policy schedule) {
        Path data = datasetPath != null ? datasetPath : dataset;
        if (data == null) {
            throw new CommandLine.ParameterException(command.commandLine(), "Missing required option: '--dataset-path=FILE'");
        }
        if (maxConcurrency != null && maxConcurrency < 1) {
            throw new UserError("--max-concurrency must be at least 1, got " + maxConcurrency);
        }
        return new ServeSpec(backend, baseUrl, endpoint, model, Optional.ofNullable(tokenizer), schedule, data, numPrompts,
                requestRate, burstiness, maxConcurrency == null ? OptionalInt.empty() : OptionalInt.of(maxConcurrency), seed,
                splitList(percentileMetrics), percentiles(metricPercentiles), goodput(goodput), ignoreEos,
                metadata(metadata), priority);
    }

    /** The run database to record into, or none under {@code --no-store}. */
    RunRecording recording(WorkspaceOption workspace, PrintWriter err) {
        return noStore ? RunRecording.nowhere(workspace.workspace(), err) : RunRecording.into(workspace.workspace(), err);
    }

    ProgressBar progressBar(PrintWriter err) {
        return new ProgressBar(err, !disableTqdm);
    }

    void noteIgnoredFlags(PrintWriter err) {
        if (resultFilename != null && !saveResult) {
            err.println("note: --result-filename has no effect without --save-result");
        }
    }

    /** Prints vLLM's console report, saves the result file if asked, and fails the command if nothing completed. */
    void report(ServeSpec spec, ServeResult result, PrintWriter out, PrintWriter err) {
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
}
