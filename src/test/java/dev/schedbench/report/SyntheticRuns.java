package dev.schedbench.report;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/** Plausible, deterministic runs for chart tests: latencies grow with rate, priority policies favour low classes. */
final class SyntheticRuns {

    private SyntheticRuns() {}

    static List<RequestRecord> requests(Policy policy, double rate, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RequestRecord> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int cls = i % 4;
            double load = rate / 10.0;
            double classFactor = policy.priorityAware() ? 0.6 + 0.3 * cls : 1.0;
            long ttft = (long) (1e6 * (20 + 40 * load * classFactor * -Math.log(1 - random.nextDouble())));
            int tokens = 20 + random.nextInt(80);
            long[] itl = new long[tokens - 1];
            long sum = 0;
            for (int k = 0; k < itl.length; k++) {
                itl[k] = (long) (1e6 * (12 + 4 * load + random.nextDouble() * 3));
                sum += itl[k];
            }
            boolean failed = i % 50 == 49;
            rows.add(new RequestRecord(i, 30 + random.nextInt(200), failed ? 0 : tokens, 256, OptionalLong.of(tokens), cls,
                    (long) (i / rate * 1e9), (long) (i / rate * 1e9) + 50_000, failed ? 0 : ttft, failed ? 0 : ttft + sum,
                    failed ? new long[0] : itl, "", failed ? "Service Unavailable" : ""));
        }
        return rows;
    }

    static List<RunEvent.Snapshot> samples(double rate, int ticks) {
        List<RunEvent.Snapshot> samples = new ArrayList<>();
        for (int t = 1; t <= ticks; t++) {
            samples.add(new RunEvent.Snapshot(t * 500_000_000L, (int) (rate * (1 + Math.sin(t / 3.0))), (int) (t * rate / 2), 0,
                    rate * 60 * (1 + 0.2 * Math.cos(t / 2.0)), rate * (1 + 0.1 * Math.sin(t))));
        }
        return samples;
    }

    static List<RunEvent.ServerState> serverSamples(double rate, int ticks) {
        List<RunEvent.ServerState> samples = new ArrayList<>();
        for (int t = 1; t <= ticks; t++) {
            samples.add(new RunEvent.ServerState(t * 500_000_000L, Math.min(32, rate * 2 + t % 5), Math.max(0, rate - 8 + t % 3),
                    Math.min(1, 0.1 + rate / 40 + 0.05 * Math.sin(t)), t / 4));
        }
        return samples;
    }

    /** Three policies at three rates each. */
    static ChartData sweep() {
        List<RunSeries> runs = new ArrayList<>();
        long id = 1;
        for (Policy policy : List.of(Policy.FCFS, Policy.PRIORITY, Policy.PRIORITY_ROUND_ROBIN)) {
            for (double rate : List.of(5.0, 10.0, 15.0)) {
                runs.add(RunSeries.of(id, "", Optional.of(policy), OptionalDouble.of(rate),
                        requests(policy, rate, 300, id), samples(rate, 40), serverSamples(rate, 40)));
                id++;
            }
        }
        return ChartData.labelled(runs);
    }
}
