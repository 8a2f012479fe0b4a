package dev.schedbench.cli;

import dev.schedbench.bench.Endpoints;
import dev.schedbench.bench.HttpTransport;
import dev.schedbench.bench.ServeResult;
import dev.schedbench.bench.ServingBenchmark;
import dev.schedbench.model.Policy;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import java.io.PrintWriter;
import java.net.URI;
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

    @Option(names = "--schedule", defaultValue = "fcfs", converter = CliConverters.PolicyConverter.class, paramLabel = "POLICY",
            description = "The server's scheduling policy: fcfs, priority, priority-round-robin, round-robin,"
                    + " priority-round-robin-reverse (underscores too; default: ${DEFAULT-VALUE}). Priorities are sent"
                    + " only under a priority-aware policy.")
    Policy schedule;

    @Mixin
    ServeBenchmarkOptions benchmark;

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

    @Mixin
    WorkspaceOption workspace;

    @Override
    public Integer call() {
        ServeSpec spec = spec();
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        benchmark.noteIgnoredFlags(err);
        Optional<String> apiKey = Optional.ofNullable(System.getenv("OPENAI_API_KEY")).filter(k -> !k.isBlank());
        ServingBenchmark runner = new ServingBenchmark(spec, apiKey,
                new ServingBenchmark.Options(logprobs == null ? OptionalInt.empty() : OptionalInt.of(logprobs), profile,
                        HttpTransport.parse(httpClient)));
        ServeResult result;
        try (RunRecording recording = benchmark.recording(workspace, err)) {
            result = runner.run(recording.listener(benchmark.progressBar(err)));
        }
        benchmark.report(spec, result, out, err);
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
        URI base = baseUrl != null ? Endpoints.baseUrl(baseUrl) : Endpoints.baseUrl("http://" + host + ":" + port);
        return benchmark.spec(backend, base, endpoint.startsWith("/") ? endpoint : "/" + endpoint, model, schedule);
    }
}
