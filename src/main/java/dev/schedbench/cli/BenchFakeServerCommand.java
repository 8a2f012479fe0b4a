package dev.schedbench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: filled in below. */
@Command(name = "fake-server", hidden = true, mixinStandardHelpOptions = true, description = "A fast local streaming server.")
public final class BenchFakeServerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
