package dev.schedbench.cli;

import dev.schedbench.bench.perf.FakeStreamingServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code schedbench bench fake-server}: the paced streaming server {@code client-perf} measures the client against. */
@Command(name = "fake-server", hidden = true, mixinStandardHelpOptions = true,
        description = "A minimal loopback streaming server for client-perf: one event per token, paced.")
public final class BenchFakeServerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--itl-us", defaultValue = "0", description = "Microseconds between tokens (default: ${DEFAULT-VALUE}).")
    long itlMicros;

    @Option(names = "--first-token-us", defaultValue = "0", description = "Microseconds to the first token (default: ${DEFAULT-VALUE}).")
    long firstTokenMicros;

    @Option(names = "--tokens", defaultValue = "0", description = "Tokens per response; 0 uses the request's max_tokens.")
    int tokens;

    @Option(names = "--exit-with-parent", description = "Exit when standard input closes (when started by client-perf).")
    boolean exitWithParent;

    @Override
    public Integer call() throws IOException {
        FakeStreamingServer server = new FakeStreamingServer(port, itlMicros * 1000, firstTokenMicros * 1000, tokens);
        command.commandLine().getOut().println("listening on 127.0.0.1:" + server.port());
        command.commandLine().getOut().flush();
        if (exitWithParent) {
            Thread.ofPlatform().daemon().name("fake-server-stdin").start(() -> {
                try (InputStream in = System.in) {
                    while (in.read() >= 0) {
                        // nothing to read; EOF means the parent is gone
                    }
                } catch (IOException ignored) {
                    // treat as closed
                }
                try {
                    server.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            });
        }
        server.serve();
        return 0;
    }
}
