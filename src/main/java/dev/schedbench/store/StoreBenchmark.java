package dev.schedbench.store;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunInfo;
import dev.schedbench.model.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Measures the run database on realistic data: persisting a large run through the recorder, the
 * file size it takes, and listing many runs. Used by {@code schedbench runs perf} and the
 * benchmark test; figures go in the benchmarks document.
 */
public final class StoreBenchmark {

    /**
     * @param requests          request rows persisted
     * @param itlsPerRequest    inter-token gaps per request
     * @param coldPersistMillis the same in a fresh process, class loading and JIT compilation included
     * @param persistMillis     first event handed to the recorder until every row is committed (wall clock), warm
     * @param persistCpuMillis  processor time the process spent meanwhile (all threads, GC and JIT included)
     * @param writerCpuMillis   processor time of the recorder's writer thread alone (SQLite inserts)
     * @param encoderCpuMillis  processor time of the recorder's encoder thread alone (draining the queue, encoding ITLs)
     * @param blockedEvents     events of the burst that found the recorder's queue full
     * @param pacedRateRps      rate of the paced run, requests per second
     * @param pacedOnP99Micros  99th percentile of one {@code on(event)} call in the paced run
     * @param pacedOnMaxMicros  the slowest {@code on(event)} call in the paced run
     * @param databaseBytes     database file size afterwards, write-ahead log folded in
     * @param textBytes         database size with generated texts kept as well (second database)
     * @param runs              runs listed
     * @param listMillisCold    the first listing in a fresh process (what one {@code runs list} costs)
     * @param listMillisMedian  median time to list them all once warm (the app's runs browser)
     * @param listMillisMax     slowest of the listings
     * @param filteredListMillisMedian median time to list those of one policy and tag
     * @param freshOpenMillis   opening the database in a new JVM (SQLite driver and native library loading included), median
     * @param freshListMillis   the first listing in a new JVM, right after opening, median
     */
    public record Figures(int requests, int itlsPerRequest, double coldPersistMillis, double persistMillis, double persistCpuMillis,
            double writerCpuMillis, double encoderCpuMillis, long blockedEvents, double pacedRateRps, double pacedOnP99Micros, double pacedOnMaxMicros, long databaseBytes,
            long textBytes, int runs, double listMillisCold, double listMillisMedian, double listMillisMax, double filteredListMillisMedian,
            double freshOpenMillis, double freshListMillis) {}

    private static final int LIST_REPEATS = 9;
    private static final int WARM_UPS = 20;
    private static final int FRESH_PROCESSES = 3;
    private static final int PACED_REQUESTS = 10_000;
    private static final double PACED_RATE_RPS = 5_000;
    private static final Instant START = Instant.parse("2024-11-24T10:20:00Z");

    private StoreBenchmark() {}

    public static Figures run(Path dir, int requests, int itlsPerRequest, int runs) {
        try {
            Files.createDirectories(dir);
            List<RequestRecord> rows = realisticRequests(requests, itlsPerRequest, false);
            // The first run pays for class loading and JIT compilation, as a fresh process would; the second is steady state.
            Persisted cold = persist(dir.resolve("persist-cold.db"), rows);
            Persisted plain = persist(dir.resolve("persist.db"), rows);
            Persisted texts = persist(dir.resolve("persist-texts.db"), realisticRequests(requests, itlsPerRequest, true));
            Paced paced = paced(dir.resolve("paced.db"), realisticRequests(PACED_REQUESTS, itlsPerRequest, false));
            Listing listing = listing(dir.resolve("list.db"), runs);
            Fresh fresh = fresh(dir.resolve("list.db"), runs);
            return new Figures(requests, itlsPerRequest, cold.millis, plain.millis, plain.cpuMillis, plain.writerCpuMillis, plain.encoderCpuMillis, plain.blocked, PACED_RATE_RPS,
                    paced.p99Micros, paced.maxMicros, plain.bytes, texts.bytes, runs, listing.cold, listing.median, listing.max,
                    listing.filteredMedian, fresh.openMillis, fresh.listMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Persisted(double millis, double cpuMillis, double writerCpuMillis, double encoderCpuMillis, long blocked,
            long bytes) {}

    private static Persisted persist(Path file, List<RequestRecord> rows) throws IOException {
        Files.deleteIfExists(file);
        long blocked;
        long start;
        long end;
        long cpuStart;
        long cpuEnd;
        long writerCpu;
        long encoderCpu;
        try (Database db = Database.open(file)) {
            RunRecorder recorder = RunRecorder.open(db);
            cpuStart = processCpuNanos();
            start = System.nanoTime();
            recorder.on(new RunEvent.Started(info(rows.size()), START, start));
            for (RequestRecord r : rows) {
                recorder.on(new RunEvent.RequestFinished(r));
            }
            recorder.on(new RunEvent.Finished(new LinkedHashMap<>(), Map.of()));
            recorder.close();
            end = System.nanoTime();
            cpuEnd = processCpuNanos();
            blocked = recorder.blockedEvents();
            writerCpu = recorder.writerCpuNanos();
            encoderCpu = recorder.encoderCpuNanos();
        }
        return new Persisted((end - start) / 1e6, (cpuEnd - cpuStart) / 1e6, writerCpu / 1e6, encoderCpu / 1e6, blocked, Files.size(file));
    }

    private record Paced(double p99Micros, double maxMicros) {}

    /** Requests handed over at a steady rate, as a fast real run would: how long does one {@code on} take? */
    private static Paced paced(Path file, List<RequestRecord> rows) throws IOException {
        Files.deleteIfExists(file);
        long[] onNanos = new long[rows.size()];
        try (Database db = Database.open(file); RunRecorder recorder = RunRecorder.open(db)) {
            long start = System.nanoTime();
            recorder.on(new RunEvent.Started(info(rows.size()), START, start));
            long interval = (long) (1e9 / PACED_RATE_RPS);
            for (int i = 0; i < rows.size(); i++) {
                long due = start + i * interval;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                long before = System.nanoTime();
                recorder.on(new RunEvent.RequestFinished(rows.get(i)));
                onNanos[i] = System.nanoTime() - before;
            }
            recorder.on(new RunEvent.Finished(new LinkedHashMap<>(), Map.of()));
        }
        Arrays.sort(onNanos);
        return new Paced(onNanos[(int) (onNanos.length * 0.99)] / 1e3, onNanos[onNanos.length - 1] / 1e3);
    }

    private static RunInfo info(int requests) {
        return new RunInfo("serve", "sim", "gpt2", Policy.PRIORITY_ROUND_ROBIN, "{\"num_prompts\":" + requests + "}",
                Optional.empty(), requests);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private record Listing(double cold, double median, double max, double filteredMedian) {}

    private static Listing listing(Path file, int runs) throws IOException {
        Files.deleteIfExists(file);
        try (Database db = Database.open(file)) {
            List<RunContent> contents = new ArrayList<>(runs);
            Policy[] policies = Policy.values();
            for (int i = 0; i < runs; i++) {
                RunHeader header = new RunHeader("serve", RunStatus.FINISHED, "sim", i % 3 == 0 ? "gpt2" : "facebook/opt-125m",
                        Optional.of(policies[i % policies.length]), "{\"num_prompts\":100,\"request_rate\":" + (i % 20) + "}",
                        Optional.empty(), 100, new Version("0.1.0", "25", "25.0.4"), "bench-host", START.plusSeconds(i),
                        Optional.of(START.plusSeconds(i + 60)), "", RunResult.NONE);
                contents.add(new RunContent(header, List.of(), List.of(), List.of(), i % 10 == 0 ? List.of("sweep") : List.of(),
                        List.of()));
            }
            db.runs().saveAll(contents);
            RunFilter filter = RunFilter.all().withPolicy(Policy.FCFS).withTag("sweep");
            long c0 = System.nanoTime();
            db.runs().list(RunFilter.all());
            double cold = (System.nanoTime() - c0) / 1e6;
            for (int k = 0; k < WARM_UPS; k++) {
                db.runs().list(RunFilter.all());
                db.runs().list(filter);
            }
            double[] all = new double[LIST_REPEATS];
            double[] filtered = new double[LIST_REPEATS];
            for (int k = 0; k < LIST_REPEATS; k++) {
                long t0 = System.nanoTime();
                int n = db.runs().list(RunFilter.all()).size();
                long t1 = System.nanoTime();
                db.runs().list(filter);
                long t2 = System.nanoTime();
                if (n != runs) {
                    throw new IllegalStateException("listed " + n + " runs, expected " + runs);
                }
                all[k] = (t1 - t0) / 1e6;
                filtered[k] = (t2 - t1) / 1e6;
            }
            Arrays.sort(all);
            Arrays.sort(filtered);
            return new Listing(cold, all[LIST_REPEATS / 2], all[LIST_REPEATS - 1], filtered[LIST_REPEATS / 2]);
        }
    }

    private record Fresh(double openMillis, double listMillis) {}

    /** What {@code schedbench runs list} pays: the first open and listing in a new JVM, a few times, medians. */
    private static Fresh fresh(Path file, int runs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] open = new double[FRESH_PROCESSES];
        double[] list = new double[FRESH_PROCESSES];
        for (int i = 0; i < FRESH_PROCESSES; i++) {
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), FreshListing.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String line = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            try {
                if (child.waitFor() != 0) {
                    throw new IllegalStateException("fresh listing process failed: " + line);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing in a fresh process", e);
            }
            String[] parts = line.split(" ");
            if (parts.length != 3 || Integer.parseInt(parts[2]) != runs) {
                throw new IllegalStateException("fresh listing process said: " + line);
            }
            open[i] = Double.parseDouble(parts[0]);
            list[i] = Double.parseDouble(parts[1]);
        }
        Arrays.sort(open);
        Arrays.sort(list);
        return new Fresh(open[FRESH_PROCESSES / 2], list[FRESH_PROCESSES / 2]);
    }

    /** Run in a new JVM by the benchmark: opens the database given, lists its runs once, prints both times and the count. */
    public static final class FreshListing {

        private FreshListing() {}

        public static void main(String[] args) {
            long t0 = System.nanoTime();
            try (Database db = Database.open(Path.of(args[0]))) {
                long t1 = System.nanoTime();
                int n = db.runs().list(RunFilter.all()).size();
                long t2 = System.nanoTime();
                System.out.println(String.format(Locale.ROOT, "%.1f %.1f %d", (t1 - t0) / 1e6, (t2 - t1) / 1e6, n));
            }
        }
    }

    /**
     * Requests as a loaded server produces them: each stream decodes at its own pace (10–30 ms a
     * token, set by its batch), with Gaussian client-side jitter (σ 0.6 ms) at full nanosecond
     * resolution, and one gap in twenty stretched 5–40 ms by another request's prefill.
     */
    public static List<RequestRecord> realisticRequests(int count, int itls, boolean withText) {
        SplittableRandom random = new SplittableRandom(42);
        List<RequestRecord> rows = new ArrayList<>(count);
        String text = withText ? "word ".repeat(itls + 1) : "";
        for (int i = 0; i < count; i++) {
            double pace = 10e6 + random.nextDouble() * 20e6;
            long[] gaps = new long[itls];
            long sum = 0;
            for (int k = 0; k < itls; k++) {
                double gap = pace + gaussian(random) * 0.6e6;
                if (random.nextInt(20) == 0) {
                    gap += 5e6 + random.nextDouble() * 35e6;
                }
                gaps[k] = Math.max(1, (long) gap);
                sum += gaps[k];
            }
            long send = (long) (i * 1e9 / 50);
            long ttft = (long) (20e6 + random.nextDouble() * 200e6);
            rows.add(new RequestRecord(i, 20 + random.nextInt(500), itls + 1, 1024, OptionalLong.of(itls + 1), i % 4, send,
                    send + random.nextInt(200_000), ttft, ttft + sum, gaps, text, ""));
        }
        return rows;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
