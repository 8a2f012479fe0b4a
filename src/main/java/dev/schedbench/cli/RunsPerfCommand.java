package dev.schedbench.cli;

import dev.schedbench.store.StoreBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code schedbench runs perf}: the run database's benchmark (hidden; its figures are in docs/benchmarks.md). */
@Command(name = "perf", hidden = true, mixinStandardHelpOptions = true,
        description = "Benchmark the run database in a scratch folder: persisting requests, file size, listing runs.")
final class RunsPerfCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", defaultValue = "100000", description = "Request rows to persist (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--itls", defaultValue = "200", description = "Inter-token gaps per request (default ${DEFAULT-VALUE}).")
    int itls;

    @Option(names = "--runs", defaultValue = "10000", description = "Runs to list (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--dir", description = "Scratch folder (default: a new temporary folder, deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path scratch = dir != null ? dir : Files.createTempDirectory("schedbench-perf");
        try {
            StoreBenchmark.Figures f = StoreBenchmark.run(scratch, requests, itls, runs);
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "persist %d requests x %d ITLs, first time in this process: %.0f ms wall",
                    f.requests(), f.itlsPerRequest(), f.coldPersistMillis()));
            out.println(String.format(Locale.ROOT, "persist %d requests x %d ITLs handed over at once: %.0f ms wall (%.0f rows/s), "
                    + "%.0f ms CPU (encoder thread %.0f ms, writer thread %.0f ms); events that waited for queue room: %d",
                    f.requests(), f.itlsPerRequest(), f.persistMillis(), f.requests() / (f.persistMillis() / 1000),
                    f.persistCpuMillis(), f.encoderCpuMillis(), f.writerCpuMillis(), f.blockedEvents()));
            out.println(String.format(Locale.ROOT, "paced at %.0f requests/s: one on() call p99 %.1f us, max %.1f us",
                    f.pacedRateRps(), f.pacedOnP99Micros(), f.pacedOnMaxMicros()));
            out.println(String.format(Locale.ROOT, "database size: %.1f MB (%.0f bytes per request); with generated texts kept: %.1f MB",
                    f.databaseBytes() / 1e6, f.databaseBytes() / (double) f.requests(), f.textBytes() / 1e6));
            out.println(String.format(Locale.ROOT, "list %d runs: first (cold) %.1f ms; warm median %.1f ms, max %.1f ms; "
                    + "filtered (policy + tag) warm median %.1f ms", f.runs(), f.listMillisCold(), f.listMillisMedian(),
                    f.listMillisMax(), f.filteredListMillisMedian()));
            out.println(String.format(Locale.ROOT, "list %d runs in a new process (median of 3): opening the database %.0f ms "
                    + "(SQLite driver and native library loading included), first listing %.1f ms", f.runs(), f.freshOpenMillis(),
                    f.freshListMillis()));
            out.flush();
        } finally {
            if (dir == null) {
                deleteTree(scratch);
            }
        }
        return 0;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
