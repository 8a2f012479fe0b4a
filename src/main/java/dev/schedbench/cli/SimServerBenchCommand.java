package dev.schedbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.EngineSnapshot;
import dev.schedbench.sim.ShortTimeSlice;
import dev.schedbench.sim.http.PacingStats;
import dev.schedbench.sim.http.SimServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulator server's load benchmark (docs/benchmarks.md, "Simulator server"): thousands of
 * streams open at once against one simulated GPU on loopback. The server runs in this JVM; the
 * workbench's own {@code bench serve} runs as a child JVM, so each process has its own file
 * descriptors. Prints how late the server handed tokens to the sockets after the engine's steps
 * ended (its pacing error) and what the client measured.
 */
@Command(
        name = "sim-server-bench",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "Benchmark the simulator's HTTP server with many open streams (loopback only).")
public final class SimServerBenchCommand implements Callable<Integer> {

    /** The pacing target: 99 % of tokens reach their socket within this long of their step's end, either side. */
    static final double TARGET_P99_MICROS = 2_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOPICS = {
        "the history of the printing press", "how vaccines train the immune system", "a recipe for bread",
        "the rules of chess", "why the sky is blue", "how a compiler works", "the water cycle",
        "a short poem about autumn", "the causes of inflation", "how to learn a new language",
        "the life of honey bees", "a summary of the French revolution", "how solar panels work",
        "tips for a job interview", "the difference between weather and climate", "how to train for a marathon"
    };

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--streams", defaultValue = "10000", description = "Streams opened at once. Default: ${DEFAULT-VALUE}.")
    int streams;

    @Option(names = "--tokens", defaultValue = "48",
            description = "Mean output length in tokens (half to one and a half of it). Default: ${DEFAULT-VALUE}.")
    int meanTokens;

    @Option(names = "--max-num-seqs", defaultValue = "256", description = "Running sequences. Default: ${DEFAULT-VALUE}.")
    int maxNumSeqs;

    @Option(names = "--model", defaultValue = "gpt2", description = "Simulated model. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--warmup-streams", defaultValue = "8000",
            description = "Streams of an unmeasured first run of the same client, so that the server's JIT has "
                    + "compiled the paths the measured run takes; a quarter of them as long as the measured "
                    + "run's, the rest 2 to 8 tokens. Default: ${DEFAULT-VALUE}.")
    int warmupStreams;

    @Option(names = "--timeout-minutes", defaultValue = "10", description = "Give up after this long. Default: ${DEFAULT-VALUE}.")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || meanTokens < 2 || maxNumSeqs < 1 || warmupStreams < 0) {
            throw new UserError("--streams, --tokens and --max-num-seqs must be positive (tokens at least 2), "
                    + "--warmup-streams at least 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig defaults = ServerConfig.defaults(model, Policy.FCFS);
        ServerConfig config = new ServerConfig(model, Policy.FCFS, maxNumSeqs, defaults.maxNumBatchedTokens(),
                defaults.maxModelLen(), defaults.blockSize(), defaults.swapSpaceGib(),
                defaults.gpuMemoryUtilization(), defaults.enableChunkedPrefill(), defaults.stepsBeforePreemption(),
                defaults.seed(), Optional.empty(), 1.0);
        Path dir = Files.createTempDirectory("sim-server-bench");
        try (SimServer server = SimServer.start(config, "127.0.0.1", 0, List.of())) {
            out.println("pacing threads' short time slices: " + ShortTimeSlice.probe()
                    .map(reason -> "declined (" + reason + ")").orElse("granted"));
            if (warmupStreams > 0) {
                out.printf("warming up: %d streams from a child JVM running bench serve, not measured%n",
                        warmupStreams);
                out.flush();
                warmUp(server, dir);
            }
            // the client has every warm-up byte; let the server's last write completions land first
            Thread.sleep(200);
            server.pacing().reset();
            Path dataset = workload(dir.resolve("workload.json"), streams);
            Path result = dir.resolve("result.json");
            out.printf("%d streams at once from a child JVM running bench serve against %s%n", streams,
                    server.baseUrl());
            out.flush();
            long start = System.nanoTime();
            ThreadCpu cpuBefore = ThreadCpu.now();
            long finishedBefore = finished(server.engine().snapshot());
            Process client = startClient(server, dataset, streams, dir, result, dir.resolve("client.log"));
            int peakOpen = 0;
            EngineSnapshot peak = server.engine().snapshot();
            // steady state: from when the engine holds every stream (all accepted) until its queue empties
            Optional<PacingStats.Checkpoint> steadyFrom = Optional.empty();
            Optional<PacingStats.Summary> steady = Optional.empty();
            while (!client.waitFor(100, TimeUnit.MILLISECONDS)) {
                EngineSnapshot now = server.engine().snapshot();
                int open = now.running() + now.waiting();
                if (open > peakOpen) {
                    peakOpen = open;
                    peak = now;
                }
                long accepted = open + finished(now) - finishedBefore;
                if (steadyFrom.isEmpty() && accepted >= streams) {
                    steadyFrom = Optional.of(server.pacing().checkpoint());
                } else if (steadyFrom.isPresent() && steady.isEmpty() && now.waiting() == 0) {
                    steady = Optional.of(server.pacing().summarySince(steadyFrom.get()));
                }
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(timeoutMinutes)) {
                    client.destroyForcibly();
                    throw new UserError("the client did not finish within " + timeoutMinutes + " minutes");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ThreadCpu cpu = ThreadCpu.now().minus(cpuBefore);
            PacingStats.Summary pacing = server.pacing().summary();
            String log = Files.readString(dir.resolve("client.log"), StandardCharsets.UTF_8);
            if (client.exitValue() != 0 || !Files.exists(result)) {
                throw new UserError("the bench serve client failed (exit " + client.exitValue() + "):\n" + log);
            }
            JsonNode report = JSON.readTree(result.toFile());
            out.println(log.strip());
            out.printf("streams %d, completed %d, in %.1f s; peak in the engine: %d running, %d waiting%n", streams,
                    report.get("completed").intValue(), seconds, peak.running(), peak.waiting());
            out.printf("server pacing error (early or late) over %d tokens: p50 %.0f us, p99 %.0f us, p99.9 %.0f us, "
                    + "max %.0f us; %.0f %% early%n", pacing.tokens(), pacing.p50Micros(), pacing.p99Micros(),
                    pacing.p999Micros(), pacing.maxMicros(), percentEarly(pacing));
            steady.ifPresent(p -> out.printf("  of which steady state (all streams accepted, queue not yet empty), "
                    + "%d tokens: p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us; %.0f %% early%n", p.tokens(),
                    p.p50Micros(), p.p99Micros(), p.p999Micros(), p.maxMicros(), percentEarly(p)));
            // judged in the state the target names: every stream open, 256 running and the rest queued
            PacingStats.Summary judged = steady.orElse(pacing);
            String judgedWindow = steady.isPresent() ? "while all streams are open" : "over the whole run";
            PacingStats.Handovers handovers = judged.handovers();
            out.printf("engine handovers %s, %d steps: late by p50 %.0f us, p99 %.0f us, max %.0f us "
                    + "(the machine's wake-up latency: no write beats it)%n", judgedWindow, handovers.steps(),
                    handovers.p50Micros(), handovers.p99Micros(), handovers.maxMicros());
            out.printf("server CPU: writers %.0f ms (%.1f us per token), engine %.0f ms, HTTP threads %.0f ms, "
                    + "whole server JVM %.0f ms%n", cpu.writersNanos() / 1e6,
                    cpu.writersNanos() / 1e3 / Math.max(1, pacing.tokens()), cpu.engineNanos() / 1e6,
                    cpu.httpNanos() / 1e6, cpu.processNanos() / 1e6);
            out.printf("client ITL: mean %.2f ms, median %.2f ms, p99 %.2f ms, p99.9 %.2f ms; TPOT mean %.2f ms; "
                    + "TTFT median %.0f ms%n", number(report, "mean_itl_ms"), number(report, "median_itl_ms"),
                    number(report, "p99_itl_ms"), number(report, "p99.9_itl_ms"), number(report, "mean_tpot_ms"),
                    number(report, "median_ttft_ms"));
            boolean met = judged.p99Micros() < TARGET_P99_MICROS && report.get("completed").intValue() == streams;
            out.printf("target (every stream completes, pacing error p99 < %.0f ms %s): %s%n",
                    TARGET_P99_MICROS / 1000, judgedWindow, met ? "met" : "missed");
            if (steady.isPresent()) {
                out.printf("  the whole run, the streams' arrival included: p99 %.0f us, %s 2 ms%n", pacing.p99Micros(),
                        pacing.p99Micros() < TARGET_P99_MICROS ? "under" : "over");
            }
            out.flush();
            return met ? 0 : 1;
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Starts {@code bench serve} in a child JVM. Its JIT stops at C1: C2 compiling the client's paths
     * took one of the two cores for seconds while the streams arrived, which is the client's cost, not
     * the server's; compiled by C1 the client keeps up with 24,000 tokens per second all the same.
     */
    private Process startClient(SimServer server, Path dataset, int count, Path dir, Path result, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "dev.schedbench.Main", "bench", "serve", "--base-url", server.baseUrl().toString(),
                "--model", model, "--dataset-path", dataset.toString(), "--num-prompts", String.valueOf(count),
                "--request-rate", "inf", "--ignore-eos", "--percentile-metrics", "ttft,tpot,itl,e2el",
                "--metric-percentiles", "50,90,99,99.9", "--disable-tqdm", "--no-store", "--workspace", dir.toString(),
                "--save-result", "--result-dir", dir.toString(), "--result-filename",
                result.getFileName().toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Runs the measured run's client and workload first, unmeasured: the same requests, headers, output
     * lengths and a deep queue make the JIT compile (and deoptimise and recompile) the server's paths as
     * the measured run will take them. C2 compiles a method after some 5,000 calls, hence thousands of
     * requests, most of them short so the warm-up stays brief. A warm-up of another client, with other
     * headers and shorter streams, or with 3,000 requests, left C2 compiling the request path for a
     * core's worth of the measured arrival.
     */
    private void warmUp(SimServer server, Path dir) throws IOException, InterruptedException {
        Path result = dir.resolve("warmup-result.json");
        Path log = dir.resolve("warmup-client.log");
        Process client = startClient(server, workload(dir.resolve("warmup.json"), warmupStreams, 4), warmupStreams, dir,
                result, log);
        if (!client.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            client.destroyForcibly();
            throw new UserError("the warm-up client did not finish within " + timeoutMinutes + " minutes");
        }
        if (client.exitValue() != 0) {
            throw new UserError("the warm-up client failed (exit " + client.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /** Synthetic prompts (so the benchmark needs no data files), answers of half to 1.5 times the mean. */
    private Path workload(Path file, int count) throws IOException {
        return workload(file, count, 1);
    }

    /**
     * The workload's prompts and lengths; with {@code fullLengthEvery} above 1, only every so many
     * answers keep their length and the others get 2 to 8 tokens, for a warm-up that makes many
     * requests quickly.
     */
    private Path workload(Path file, int count, int fullLengthEvery) throws IOException {
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            int tokens = i % fullLengthEvery == 0 ? meanTokens / 2 + (int) ((i * 7919L) % (meanTokens + 1)) : 2 + i % 7;
            String prompt = "Request " + i + ": please write about " + TOPICS[i % TOPICS.length] + ", and then about "
                    + TOPICS[(i / TOPICS.length) % TOPICS.length] + ", in plain words.";
            rows.addObject().put("input", prompt).put("output_len", tokens * 5).put("output_tokens", tokens);
        }
        Files.writeString(file, rows.toString());
        return file;
    }

    /** CPU time of the server's threads, by role; the machine's load does not inflate it. */
    private record ThreadCpu(long writersNanos, long engineNanos, long httpNanos, long processNanos) {

        static ThreadCpu now() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long writers = 0;
            long engine = 0;
            long http = 0;
            for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
                long nanos = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                String name = info.getThreadName();
                if (name.startsWith("sim-http-writer")) {
                    writers += nanos;
                } else if (name.startsWith("sim-engine")) {
                    engine += nanos;
                } else if (name.startsWith("sim-http")) {
                    http += nanos;
                }
            }
            long process = ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
            return new ThreadCpu(writers, engine, http, process);
        }

        ThreadCpu minus(ThreadCpu before) {
            return new ThreadCpu(writersNanos - before.writersNanos, engineNanos - before.engineNanos,
                    httpNanos - before.httpNanos, processNanos - before.processNanos);
        }
    }

    private static double percentEarly(PacingStats.Summary pacing) {
        return 100.0 * pacing.earlyTokens() / Math.max(1, pacing.tokens());
    }

    private static long finished(EngineSnapshot snapshot) {
        return snapshot.requestsFinishedStop() + snapshot.requestsFinishedLength();
    }

    private static double number(JsonNode report, String key) {
        JsonNode value = report.get(key);
        return value == null || !value.isNumber() ? Double.NaN : value.doubleValue();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
