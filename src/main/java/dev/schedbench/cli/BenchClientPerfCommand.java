package dev.schedbench.cli;

import dev.schedbench.bench.perf.ClientPerfBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code schedbench bench client-perf}: how much the serving client costs and how exactly it times. */
@Command(name = "client-perf", mixinStandardHelpOptions = true,
        description = {"Measure the serving client itself against a fast fake server in a separate process (loopback):",
            "CPU per streamed token, request-rate keeping and send lag, and token timing with thousands of streams."})
public final class BenchClientPerfCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = "--quick", description = "A small run (seconds) to check that everything works.")
    boolean quick;

    @Option(names = "--phases", defaultValue = "a,b,c", split = ",",
            description = "Which parts to run: a (CPU per token), b (request rates), c (token timing) (default: ${DEFAULT-VALUE}).")
    java.util.Set<String> phases;

    @Option(names = "--http-client", defaultValue = "nio", paramLabel = "nio|jdk",
            description = "The HTTP client to measure (default: ${DEFAULT-VALUE}).")
    String httpClient;

    @Option(names = "--threads", description = "Also print where the client's CPU went, by thread kind.")
    boolean threads;

    @Option(names = "--streams", split = ",", paramLabel = "N",
            description = "Open streams for part c (default: 500,1500,2000).")
    java.util.List<Integer> streams;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("schedbench-client-perf");
        try {
            ClientPerfBenchmark.Plan plan = quick ? ClientPerfBenchmark.Plan.quick() : ClientPerfBenchmark.Plan.standard();
            if (streams != null) {
                plan = plan.withStreams(streams);
            }
            ClientPerfBenchmark benchmark = new ClientPerfBenchmark(plan, command.commandLine().getOut(), work)
                    .withTransport(dev.schedbench.bench.HttpTransport.parse(httpClient));
            if (threads) {
                benchmark.withThreadBreakdown();
            }
            benchmark.run(phases);
        } finally {
            try (Stream<Path> files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
        return 0;
    }
}
