package dev.schedbench.bench.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.bench.HttpTransport;
import dev.schedbench.bench.ServeResult;
import dev.schedbench.bench.ServingBenchmark;
import dev.schedbench.metrics.ClientHealth;
import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Measures the serving client itself against {@link FakeStreamingServer} running in a separate process
 * (so that this process's CPU time is the client's alone): CPU per streamed token and the most tokens
 * per second it takes in; how closely it keeps a request rate; how accurately it times tokens with
 * thousands of streams open. Loopback only, bounded in requests and time.
 */
public final class ClientPerfBenchmark {

    /** What to run; {@link #standard()} is what the documentation's figures come from. */
    public record Plan(int throughputRequests, int throughputTokens, int throughputConcurrency, List<Double> rates,
            double rateSeconds, int rateTokens, long rateItlMillis, List<Integer> streams, long itlMillis, int itlTokens) {

        public static Plan standard() {
            return new Plan(400, 500, 200, List.of(50.0, 200.0), 10, 20, 10, List.of(500, 1500, 2000), 20, 150);
        }

        public static Plan quick() {
            return new Plan(100, 200, 50, List.of(50.0), 1, 10, 10, List.of(100), 20, 30);
        }

        public Plan withStreams(List<Integer> openStreams) {
            return new Plan(throughputRequests, throughputTokens, throughputConcurrency, rates, rateSeconds, rateTokens,
                    rateItlMillis, List.copyOf(openStreams), itlMillis, itlTokens);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Plan plan;
    private final PrintWriter out;
    private final Path work;
    private boolean threadBreakdown;
    private HttpTransport transport = HttpTransport.NIO;

    /** Measures this transport (default: nio). */
    public ClientPerfBenchmark withTransport(HttpTransport chosen) {
        transport = chosen;
        return this;
    }

    /** Also print where the client's CPU went, by thread kind. */
    public ClientPerfBenchmark withThreadBreakdown() {
        threadBreakdown = true;
        return this;
    }

    public ClientPerfBenchmark(Plan plan, PrintWriter out, Path work) {
        this.plan = plan;
        this.out = out;
        this.work = work;
    }

    /** Runs the parts named: {@code a} CPU per token, {@code b} request rates, {@code c} token timing. */
    public void run(java.util.Set<String> phases) throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "Serving client benchmark: %d cores, Java %s, HTTP client %s, fake server in a separate process%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), transport.cliName());
        loadAverage("at start");
        try (FakeServerProcess server = FakeServerProcess.start()) {
            // both processes compile their hot paths before anything is measured
            server.pace(0, 0);
            run(server, "warm-up", plan.throughputRequests() / 2, plan.throughputTokens() / 2, Double.POSITIVE_INFINITY,
                    OptionalInt.of(plan.throughputConcurrency()));
            if (phases.contains("a")) {
                throughput(server);
            }
            if (phases.contains("b")) {
                rates(server);
            }
            if (phases.contains("c")) {
                itlAccuracy(server);
            }
        }
        out.println();
        loadAverage("at end");
        out.flush();
    }

    private void throughput(FakeServerProcess server) throws IOException, InterruptedException {
        out.println();
        out.println("(a) Client CPU per streamed token, request rate inf (server paces nothing: as fast as it writes)");
        server.pace(0, 0);
        {
            Measured m = run(server, "throughput", plan.throughputRequests(), plan.throughputTokens(), Double.POSITIVE_INFINITY,
                    OptionalInt.of(plan.throughputConcurrency()));
            out.printf(Locale.ROOT, "    %d requests x %d tokens, max concurrency %d: %d tokens in %.2f s%n",
                    plan.throughputRequests(), plan.throughputTokens(), plan.throughputConcurrency(), m.tokens(), m.seconds());
            out.printf(Locale.ROOT, "    client CPU per token: %.2f us   output tokens/s: %.0f   failed: %d%n",
                    m.cpuMicrosPerToken(), m.tokens() / m.seconds(), m.failed());
        }
    }

    private void rates(FakeServerProcess server) throws IOException, InterruptedException {
        out.println();
        out.printf(Locale.ROOT, "(b) Keeping a request rate (Poisson, %d tokens per request, %d ms apart)%n",
                plan.rateTokens(), plan.rateItlMillis());
        out.println("    requested   scheduled    achieved   deviation   send lag p50   send lag p99   max     CPU/token");
        for (double rate : plan.rates()) {
            server.pace(plan.rateItlMillis() * 1_000_000, plan.rateItlMillis() * 1_000_000);
            {
                int requests = (int) Math.round(rate * plan.rateSeconds());
                Measured m = run(server, "rate " + rate, requests, plan.rateTokens(), rate, OptionalInt.empty());
                ClientHealth h = m.result().metrics().client();
                double scheduled = scheduledRate(m.result().records());
                double achieved = h.achievedRateRps().orElse(Double.NaN);
                out.printf(Locale.ROOT, "    %7.1f/s   %7.2f/s   %7.2f/s   %+8.2f %%   %9.3f ms   %9.3f ms   %6.2f ms  %.2f us%n",
                        rate, scheduled, achieved, 100 * (achieved - scheduled) / scheduled, h.sendLagP50Ms(),
                        h.sendLagP99Ms(), h.sendLagMaxMs(), m.cpuMicrosPerToken());
            }
        }
        out.println("    (scheduled = the rate of the drawn Poisson schedule itself; deviation = achieved against it)");
    }

    private void itlAccuracy(FakeServerProcess server) throws IOException, InterruptedException {
        out.println();
        out.printf(Locale.ROOT, "(c) Timing accuracy with %d ms between tokens, %d tokens per stream, all streams open at once%n",
                plan.itlMillis(), plan.itlTokens());
        out.println("    streams  mean ITL    error   server ITL  server late mean/p99/max   seen after write p50/p99/max"
                + "   ITL p99    CPU/token  failed");
        for (int streams : plan.streams()) {
            long itl = plan.itlMillis() * 1_000_000;
            server.pace(itl, itl);
            {
                Measured m = run(server, streams + " streams", streams, plan.itlTokens(), Double.POSITIVE_INFINITY, OptionalInt.empty());
                long[] itls = m.result().records().stream().flatMapToLong(r -> java.util.Arrays.stream(r.itlNanos())).sorted().toArray();
                double mean = java.util.Arrays.stream(itls).average().orElse(Double.NaN) / 1e6;
                JsonNode stats = server.stats();
                double written = stats.path("written_itl_mean_us").asDouble() / 1e3;
                long[] seen = deliveryLags(m);
                out.printf(Locale.ROOT, "    %7d  %7.3f ms %+6.2f %%  %7.3f ms  %6.0f / %5d / %6d us   %6.0f / %5.0f / %6.0f us"
                                + "  %7.3f ms   %6.2f us  %d%n",
                        streams, mean, 100 * (mean - plan.itlMillis()) / plan.itlMillis(), written,
                        stats.path("lateness_mean_us").asDouble(), stats.path("lateness_p99_us").asLong(),
                        stats.path("lateness_max_us").asLong(), percentile(seen, 50) / 1e3, percentile(seen, 99) / 1e3,
                        percentile(seen, 100) / 1e3, percentile(itls, 99) / 1e6, m.cpuMicrosPerToken(), m.failed());
            }
        }
        out.println("    (error = measured mean ITL against the nominal pace; server ITL = mean gap the server actually wrote;");
        out.println("     server late = how far behind its schedule it wrote; seen after write = how long after the server's");
        out.println("     write the client timestamped each token, from the write time each token carries)");
    }

    /** Other load on the machine bends every timing here; say how much there was. */
    private void loadAverage(String when) {
        Path loadavg = Path.of("/proc/loadavg");
        if (Files.isReadable(loadavg)) {
            try {
                String[] fields = Files.readString(loadavg).split(" ");
                out.printf(Locale.ROOT, "Load average %s: %s %s %s (1, 5, 15 min)%n", when, fields[0], fields[1], fields[2]);
            } catch (IOException e) {
                // not on Linux, or not readable: nothing to say
            }
        }
    }

    private record Measured(ServeResult result, long tokens, double seconds, double cpuMicrosPerToken, long failed, long startNanos) {}

    /**
     * For every token: when the client timestamped it minus when the server wrote it (the time is in
     * the token's text), sorted. Both are {@link System#nanoTime()} of the same machine.
     */
    private static long[] deliveryLags(Measured m) {
        java.util.List<Long> lags = new java.util.ArrayList<>();
        for (RequestRecord r : m.result().records()) {
            if (!r.success()) {
                continue;
            }
            String[] tokens = r.generatedText().split(" t");
            long seenAt = m.startNanos() + r.actualSendNanos() + r.ttftNanos();
            int k = 0;
            for (String token : tokens) {
                if (token.isEmpty()) {
                    continue;
                }
                if (k > 0) {
                    seenAt += r.itlNanos()[k - 1];
                }
                lags.add(seenAt - Long.parseLong(token));
                k++;
            }
        }
        return lags.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private Measured run(FakeServerProcess server, String name, int requests, int tokens, double rate,
            OptionalInt concurrency) throws IOException {
        Path data = dataset(requests, tokens);
        ServeSpec spec = new ServeSpec("vllm", server.baseUrl(), "/v1/completions", "gpt2", Optional.empty(), Policy.FCFS, data,
                requests, rate, 1.0, concurrency, 0, List.of("ttft", "tpot", "itl", "e2el"), List.of(50.0, 99.0), Map.of(), true,
                Map.of(), new PrioritySource.None());
        CpuProbe probe = new CpuProbe(threadBreakdown);
        server.stats(true);
        ServeResult result = new ServingBenchmark(spec, Optional.empty(), ServingBenchmark.Options.DEFAULT.withTransport(transport))
                .run(probe);
        if (threadBreakdown) {
            out.println("    [" + name + "] " + ThreadCpu.describe(probe.threadsAtStart, probe.threadsAtEnd, probe.cpuAtEnd - probe.cpuAtStart));
        }
        long produced = result.records().stream().mapToLong(RequestRecord::outputTokens).sum();
        long failed = result.records().stream().filter(r -> !r.success()).count();
        double cpuMicros = (probe.cpuAtEnd - probe.cpuAtStart) / 1e3;
        return new Measured(result, produced, (probe.wallAtEnd - probe.wallAtStart) / 1e9,
                produced == 0 ? Double.NaN : cpuMicros / produced, failed, probe.runStartNanos);
    }

    private Path dataset(int requests, int tokens) throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < requests; i++) {
            rows.append("{\"prompt\": \"benchmark prompt number ").append(i).append(" with a few words\", \"output_tokens\": ")
                    .append(tokens).append("}\n");
        }
        return Files.writeString(work.resolve("perf-" + requests + "x" + tokens + ".jsonl"), rows);
    }

    private static double scheduledRate(List<RequestRecord> records) {
        long last = records.stream().mapToLong(RequestRecord::scheduledSendNanos).max().orElse(0);
        return last == 0 ? Double.POSITIVE_INFINITY : (records.size() - 1) / (last / 1e9);
    }

    private static double percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double index = (sorted.length - 1) * percent / 100;
        int lower = (int) Math.floor(index);
        int upper = Math.min(sorted.length - 1, lower + 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (index - lower);
    }

    /** Process CPU time of this JVM between the run's start and its last snapshot (all requests done). */
    private static final class CpuProbe implements dev.schedbench.model.RunListener {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final boolean byThread;
        volatile long cpuAtStart;
        volatile long cpuAtEnd;
        volatile long wallAtStart;
        volatile long wallAtEnd;
        volatile long runStartNanos;
        volatile Map<String, Long> threadsAtStart = Map.of();
        volatile Map<String, Long> threadsAtEnd = Map.of();

        CpuProbe(boolean byThread) {
            this.byThread = byThread;
        }

        @Override
        public void on(RunEvent event) {
            switch (event) {
                case RunEvent.Started s -> {
                    runStartNanos = s.startNanos();
                    if (byThread) {
                        threadsAtStart = ThreadCpu.byKind();
                    }
                    cpuAtStart = OS.getProcessCpuTime();
                    wallAtStart = System.nanoTime();
                }
                case RunEvent.Snapshot s -> {
                    cpuAtEnd = OS.getProcessCpuTime();
                    wallAtEnd = System.nanoTime();
                    if (byThread) {
                        threadsAtEnd = ThreadCpu.byKind();
                    }
                }
                default -> { }
            }
        }
    }

    /** The fake server as a child process: {@code schedbench bench fake-server} on this JVM's class path. */
    static final class FakeServerProcess implements AutoCloseable {
        private final Process process;
        private final URI baseUrl;
        private final HttpClient http = HttpClient.newHttpClient();

        private FakeServerProcess(Process process, URI baseUrl) {
            this.process = process;
            this.baseUrl = baseUrl;
        }

        static FakeServerProcess start() throws IOException {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx512m", "-cp",
                    System.getProperty("java.class.path"), "dev.schedbench.Main", "bench", "fake-server", "--port", "0",
                    "--exit-with-parent"));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            if (first == null || !first.startsWith("listening on ")) {
                process.destroyForcibly();
                throw new UserError("the fake server did not start (it said: " + first + ")");
            }
            return new FakeServerProcess(process, URI.create("http://" + first.substring("listening on ".length()).strip()));
        }

        URI baseUrl() {
            return baseUrl;
        }

        JsonNode stats() throws IOException {
            return stats(false);
        }

        JsonNode stats(boolean reset) throws IOException {
            return get(reset ? "/stats?reset" : "/stats");
        }

        void pace(long itlNanos, long firstTokenNanos) throws IOException {
            get("/pace?itl_us=" + itlNanos / 1000 + "&first_us=" + firstTokenNanos / 1000);
        }

        private JsonNode get(String path) throws IOException {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(baseUrl.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return JSON.readTree(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void close() throws IOException {
            http.close();
            process.getOutputStream().close();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
