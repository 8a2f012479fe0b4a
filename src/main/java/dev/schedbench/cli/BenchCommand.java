package dev.schedbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code schedbench bench}: the benchmarks of the seed's suite. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark against a server (vLLM or the simulator).",
        subcommands = {BenchServeCommand.class, BenchClientPerfCommand.class, BenchFakeServerCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
