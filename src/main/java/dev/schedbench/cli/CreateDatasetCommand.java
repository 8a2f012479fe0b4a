package dev.schedbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.data.CompletionsOracleGenerator;
import dev.schedbench.data.OracleDatasetBuilder;
import dev.schedbench.data.OracleGenerator;
import dev.schedbench.data.OracleOutcome;
import dev.schedbench.data.OracleSettings;
import dev.schedbench.data.PythonJson;
import dev.schedbench.data.QueryFile;
import dev.schedbench.data.RetryPolicy;
import dev.schedbench.data.Sleeper;
import dev.schedbench.data.VllmOfflineOracleGenerator;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.model.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code create-dataset}: the seed's {@code create_dataset.py}, through a server or vLLM's offline engine. */
@Command(name = "create-dataset", mixinStandardHelpOptions = true,
        description = {
            "Run a model once on the first queries and record each output's length in characters and tokens: "
                    + "the oracle dataset [{\"input\", \"output_len\", \"output_tokens\"}] the benchmarks take priorities from.",
            "Engines: sim (the built-in simulator, no GPU), remote (any OpenAI-compatible server, --base-url), "
                    + "vllm-offline (vLLM's LLM class under --python, as the seed did).",
            "An interrupted or partly failed run continues where it stopped when run again."})
final class CreateDatasetCommand implements Callable<Integer> {

    /** Where the outputs come from. */
    enum Engine {
        SIM, REMOTE, VLLM_OFFLINE;

        static Engine parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
                case "sim" -> SIM;
                case "remote" -> REMOTE;
                case "vllm-offline" -> VLLM_OFFLINE;
                default -> throw new IllegalArgumentException("unknown engine '" + text + "'; expected sim, remote or vllm-offline");
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int DEFAULT_CONCURRENCY = 64;

    private final HostEnvironment environment;

    @Spec
    CommandSpec spec;

    @Mixin
    WorkspaceOption workspaceOption;

    @Option(names = "--model", required = true, description = "Model id, e.g. gpt2 or meta-llama/Llama-3.2-1B.")
    String model;

    @Option(names = "--queries", paramLabel = "FILE",
            description = "Prompts: a JSON array of strings (default: WORKSPACE/data/" + DownloadQueriesCommand.DEFAULT_FILE_NAME + ").")
    Path queries;

    @Option(names = "--num-queries", paramLabel = "N", defaultValue = "100",
            description = "Use the first N queries (default: ${DEFAULT-VALUE}, as the seed).")
    int numQueries;

    @Option(names = "--output-len", paramLabel = "TOKENS", defaultValue = "256",
            description = "max_tokens per prompt (default: ${DEFAULT-VALUE}, as the seed).")
    int outputLen;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--engine", defaultValue = "sim", converter = EngineConverter.class,
            description = "sim, remote or vllm-offline (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(names = "--base-url", paramLabel = "URL", description = "Server root for --engine remote, e.g. http://localhost:8000.")
    URI baseUrl;

    @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "OPENAI_API_KEY",
            description = "Environment variable with the remote server's API key, sent as a Bearer token (default: ${DEFAULT-VALUE}).")
    String apiKeyEnv;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Requests in flight for remote (default: 64) and sim (default: 256, the simulator's max-num-seqs).")
    Integer concurrency;

    @Option(names = "--sim-speed", paramLabel = "FACTOR", defaultValue = "100000",
            description = "How many times faster than real time the simulator runs for --engine sim; lengths do not "
                    + "depend on it (default: ${DEFAULT-VALUE}).")
    double simSpeed;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
            description = "Python with vLLM installed, for --engine vllm-offline (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
            description = "Prompts per llm.generate call for vllm-offline (default: ${DEFAULT-VALUE}, as the seed).")
    int batchSize;

    @Option(names = "--vllm-arg", paramLabel = "KEY=VALUE",
            description = "Extra LLM(...) argument for vllm-offline, e.g. max_model_len=1024 (repeatable; values are JSON when they parse).")
    Map<String, String> vllmArgs = new LinkedHashMap<>();

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Attempts per prompt on connection failures, 429 and 5xx (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--retry-delay-ms", hidden = true, defaultValue = "500", description = "First back-off wait.")
    long retryDelayMs;

    @Option(names = "--ascii", description = "Escape non-ASCII characters as \\uXXXX, as Python's json.dump does by default.")
    boolean ascii;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: WORKSPACE/data/MODEL_data.json, '/' in the model id as '_').")
    Path out;

    CreateDatasetCommand() {
        this(HostEnvironment.current());
    }

    CreateDatasetCommand(HostEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Workspace workspace = workspaceOption.workspace();
        if (numQueries < 1) {
            throw new UserError("--num-queries must be at least 1, got " + numQueries);
        }
        OracleSettings settings = new OracleSettings(model, outputLen, temperature);
        Path queriesFile = Optional.ofNullable(queries).orElseGet(() -> workspace.dataDir().resolve(DownloadQueriesCommand.DEFAULT_FILE_NAME));
        Path output = Optional.ofNullable(out).orElseGet(() -> workspace.dataDir().resolve(OracleSettings.fileNameFor(model)));
        List<String> prompts = QueryFile.read(queriesFile, numQueries);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (prompts.size() < numQueries) {
            err.println("note: " + queriesFile + " holds only " + prompts.size() + " queries; using all of them");
        }
        OracleDatasetBuilder.Report report;
        try (StderrProgress progress = StderrProgress.on(err);
             EngineHandle handle = openEngine(settings, progress)) {
            report = new OracleDatasetBuilder(handle.generator(), progress)
                    .build(prompts, settings, output, ascii ? PythonJson.Escaping.ASCII : PythonJson.Escaping.UTF8);
        }
        if (!report.complete() && report.failed().isEmpty()) {
            throw new UserError((report.prompts() - report.entries()) + " of " + report.prompts() + " prompts got no answer from "
                    + "the engine; the " + report.entries() + " done are kept in " + report.partial() + ". Run the same command again.");
        }
        if (!report.complete()) {
            for (OracleOutcome.Failed f : report.failed()) {
                err.println("prompt " + f.index() + " failed: " + f.error());
            }
            err.flush();
            throw new UserError(report.failed().size() + " of " + report.prompts() + " prompts failed (indices "
                    + report.failed().stream().limit(20).map(f -> Integer.toString(f.index())).collect(Collectors.joining(", "))
                    + (report.failed().size() > 20 ? ", …" : "") + "); the " + report.entries() + " done are kept in "
                    + report.partial() + ". Run the same command again to retry the failed ones.");
        }
        stdout.println("wrote " + report.entries() + " entries for " + model + " to " + output
                + (report.resumed() > 0 ? " (" + report.resumed() + " taken over from an earlier run)" : ""));
        stdout.flush();
        return 0;
    }

    /** An engine and whatever must be stopped once the dataset is built. */
    interface EngineHandle extends AutoCloseable {
        OracleGenerator generator();

        @Override
        void close();
    }

    private EngineHandle openEngine(OracleSettings settings, StderrProgress progress) {
        RetryPolicy retry = RetryPolicy.DEFAULT.withMaxAttempts(Math.max(1, attempts))
                .withInitialDelay(Duration.ofMillis(Math.max(0, retryDelayMs)));
        return switch (engine) {
            case REMOTE -> {
                if (baseUrl == null) {
                    throw new UserError("--engine remote needs --base-url, e.g. --base-url http://localhost:8000");
                }
                Optional<String> apiKey = Optional.ofNullable(environment.variables().get(apiKeyEnv)).filter(k -> !k.isBlank());
                OracleGenerator generator = new CompletionsOracleGenerator(CompletionsOracleGenerator.newHttpClient(),
                        baseUrl, apiKey, Optional.ofNullable(concurrency).orElse(DEFAULT_CONCURRENCY), retry, Sleeper.REAL);
                yield simpleHandle(generator);
            }
            case SIM -> SimOracleEngine.start(settings.model(), Optional.ofNullable(concurrency).orElse(ServerConfig.DEFAULT_MAX_NUM_SEQS),
                    retry, simSpeed);
            case VLLM_OFFLINE -> simpleHandle(new VllmOfflineOracleGenerator(
                    new VllmOfflineOracleGenerator.Options(python, batchSize, engineArgs(), Map.of()), progress));
        };
    }

    private static EngineHandle simpleHandle(OracleGenerator generator) {
        return new EngineHandle() {
            @Override
            public OracleGenerator generator() {
                return generator;
            }

            @Override
            public void close() {
            }
        };
    }

    private Map<String, Object> engineArgs() {
        Map<String, Object> args = new LinkedHashMap<>();
        vllmArgs.forEach((key, value) -> {
            Object parsed;
            try {
                parsed = JSON.readValue(value, Object.class);
            } catch (IOException notJson) {
                parsed = value;
            }
            args.put(key, parsed);
        });
        return args;
    }

    static final class EngineConverter implements picocli.CommandLine.ITypeConverter<Engine> {
        @Override
        public Engine convert(String value) {
            return Engine.parse(value);
        }
    }
}
