package dev.schedbench.metrics;

import dev.schedbench.model.RequestRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Per-request slowdown and Jain's fairness index over it; the definition is in {@link Fairness}. */
final class Slowdowns {

    private Slowdowns() {}

    /** The smallest end-to-end seconds per output token over the run: the pace of the luckiest request. */
    static OptionalDouble bestPace(List<RequestRecord> records) {
        return records.stream().filter(Slowdowns::qualifies).mapToDouble(Slowdowns::pace).min();
    }

    static Optional<Fairness> fairness(List<RequestRecord> records, OptionalDouble bestPace) {
        double[] slowdowns = records.stream().filter(Slowdowns::qualifies)
                .mapToDouble(r -> pace(r) / bestPace.orElseThrow()).toArray();
        if (slowdowns.length == 0) {
            return Optional.empty();
        }
        double[] squares = new double[slowdowns.length];
        double max = slowdowns[0];
        for (int i = 0; i < slowdowns.length; i++) {
            squares[i] = slowdowns[i] * slowdowns[i];
            max = Math.max(max, slowdowns[i]);
        }
        double sum = NumpyStats.sum(slowdowns);
        double jain = sum * sum / (slowdowns.length * NumpyStats.sum(squares));
        return Optional.of(new Fairness(slowdowns.length, jain, NumpyStats.mean(slowdowns),
                NumpyStats.median(slowdowns), max));
    }

    private static boolean qualifies(RequestRecord r) {
        return r.success() && r.outputTokens() >= 1 && r.e2elNanos() > 0;
    }

    private static double pace(RequestRecord r) {
        return ServingMetrics.seconds(r.e2elNanos()) / r.outputTokens();
    }
}
