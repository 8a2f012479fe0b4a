package dev.schedbench.report;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One run's data as charts draw it: latencies of its successful requests in milliseconds (vLLM
 * counts only those), its time series, and per-priority-class figures. Arrays are owned by this
 * record and never changed.
 *
 * @param runId          database id
 * @param label          how legends and axes name the run
 * @param policy         its policy, for the colour
 * @param requestRateRps the arrival rate it was run at, when finite and known
 * @param ttftMs         TTFT of each successful request
 * @param e2elMs         E2EL of each successful request
 * @param itlMs          every inter-token gap of every successful request
 * @param samples        the client's time series
 * @param serverSamples  the server's time series
 * @param classes        per priority class, ascending
 */
public record RunSeries(
        long runId,
        String label,
        Optional<Policy> policy,
        OptionalDouble requestRateRps,
        double[] ttftMs,
        double[] e2elMs,
        double[] itlMs,
        List<RunEvent.Snapshot> samples,
        List<RunEvent.ServerState> serverSamples,
        List<ClassFigures> classes) {

    /** Latency figures of one priority class. */
    public record ClassFigures(int priorityClass, int requests, int succeeded, double meanTtftMs, double p99TtftMs,
            double meanE2elMs, double p99E2elMs) {}

    public RunSeries {
        samples = List.copyOf(samples);
        serverSamples = List.copyOf(serverSamples);
        classes = List.copyOf(classes);
    }

    public static RunSeries of(long runId, String label, Optional<Policy> policy, OptionalDouble requestRateRps,
            List<RequestRecord> requests, List<RunEvent.Snapshot> samples, List<RunEvent.ServerState> serverSamples) {
        List<RequestRecord> ok = requests.stream().filter(RequestRecord::success).toList();
        double[] itl = ok.stream().flatMapToLong(r -> Arrays.stream(r.itlNanos())).mapToDouble(RunSeries::ms).toArray();
        Map<Integer, List<RequestRecord>> byClass = new TreeMap<>();
        requests.forEach(r -> byClass.computeIfAbsent(r.priorityClass(), k -> new ArrayList<>()).add(r));
        List<ClassFigures> classes = new ArrayList<>();
        byClass.forEach((cls, rows) -> {
            double[] ttft = sortedMs(rows, true);
            double[] e2el = sortedMs(rows, false);
            classes.add(new ClassFigures(cls, rows.size(), ttft.length, Stats.mean(ttft), Stats.percentile(ttft, 99),
                    Stats.mean(e2el), Stats.percentile(e2el, 99)));
        });
        return new RunSeries(runId, label, policy, requestRateRps,
                ok.stream().mapToDouble(r -> ms(r.ttftNanos())).toArray(),
                ok.stream().mapToDouble(r -> ms(r.e2elNanos())).toArray(),
                itl, samples, serverSamples, classes);
    }

    public boolean hasRequests() {
        return ttftMs.length > 0;
    }

    RunSeries withLabel(String newLabel) {
        return new RunSeries(runId, newLabel, policy, requestRateRps, ttftMs, e2elMs, itlMs, samples, serverSamples, classes);
    }

    private static double[] sortedMs(List<RequestRecord> rows, boolean ttft) {
        return rows.stream().filter(RequestRecord::success)
                .mapToDouble(r -> ms(ttft ? r.ttftNanos() : r.e2elNanos())).sorted().toArray();
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
