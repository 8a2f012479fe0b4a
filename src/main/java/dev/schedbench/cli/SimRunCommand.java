package dev.schedbench.cli;

import dev.schedbench.bench.ServeResult;
import dev.schedbench.bench.VirtualServingBenchmark;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.ServerConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code schedbench sim run}: {@code bench serve} against a simulated {@code vllm serve}, entirely in
 * virtual time. Takes every {@code bench serve} flag and every server flag the simulator models; one
 * {@code --seed} seeds the sampling, the arrivals and the simulated outputs.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serving benchmark against the simulator in virtual time (no HTTP): bench serve's flags and report,",
            "serve's flags for the simulated server. Finishes as fast as the CPU allows."
        })
public final class SimRunCommand implements Callable<Integer> {

    /** The base URL recorded in the spec: there is no server to reach. */
    static final URI VIRTUAL = URI.create("sim:virtual");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = "--model", defaultValue = "gpt2",
            description = "Model id; picks the simulator's profile unless --profile is given (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    EngineFlags server;

    @Mixin
    ServeBenchmarkOptions benchmark;

    @Mixin
    WorkspaceOption workspace;

    @Override
    public Integer call() {
        ServeSpec spec = benchmark.spec("sim", VIRTUAL, "/v1/completions", model, server.policy);
        ServerConfig config = server.config(model, spec.seed(), 1.0);
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        benchmark.noteIgnoredFlags(err);
        ServeResult result;
        try (RunRecording recording = benchmark.recording(workspace, err)) {
            result = new VirtualServingBenchmark(spec, config, server.options())
                    .run(recording.listener(benchmark.progressBar(err)));
        }
        benchmark.report(spec, result, out, err);
        return 0;
    }
}
