package dev.schedbench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: filled in below. */
@Command(name = "client-perf", mixinStandardHelpOptions = true, description = "Measure the serving client itself.")
public final class BenchClientPerfCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
