package dev.schedbench.bench;

import dev.schedbench.data.PythonRandom;
import dev.schedbench.metrics.NumpyStats;
import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.UserError;
import java.util.List;
import java.util.OptionalInt;

/**
 * Gives each sampled request its priority value (lower is served earlier) and its priority class.
 * The class is the bin for {@code binned}, else the quartile (0..3) of the request's priority among the
 * run's priorities, so that per-class statistics compare like with like under every policy, including
 * those to which no priority is sent; 0 for {@code none}.
 */
public final class Priorities {

    /** The fork's {@code add_noise.py} clamps noisy priorities to [15, 1024 + 1]. */
    public static final long NOISE_MIN = 15;
    public static final long NOISE_MAX = 1025;

    /** One request's priority value (absent for {@code none}) and class. */
    public record Assigned(boolean hasPriority, long priority, int priorityClass) {}

    private Priorities() {}

    public static List<Assigned> assign(List<SampledRequest> requests, PrioritySource source, long seed) {
        return switch (source) {
            case PrioritySource.None n -> requests.stream().map(r -> new Assigned(false, 0, 0)).toList();
            case PrioritySource.Oracle o -> quartiles(values(requests, r -> r.outputTokens()));
            case PrioritySource.Binned b -> binned(requests, b);
            case PrioritySource.Noisy n -> quartiles(noisy(requests, n.sigma(), seed));
            case PrioritySource.Predicted p -> quartiles(values(requests, r -> field(r, p.field())));
        };
    }

    private interface Value {
        long of(SampledRequest r);
    }

    private static long[] values(List<SampledRequest> requests, Value value) {
        long[] values = new long[requests.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.of(requests.get(i));
        }
        return values;
    }

    private static long field(SampledRequest r, String name) {
        OptionalInt value = r.entry().extra(name);
        if (value.isEmpty()) {
            throw new UserError("dataset row " + r.datasetIndex() + " has no integer field \"" + name
                    + "\" for --priority predicted:" + name + "; add it to every row or choose another priority source");
        }
        return value.getAsInt();
    }

    /**
     * A row's {@code output_tokens_noise_SIGMA} field when the dataset has one (the fork's annotated
     * files), else {@code clamp(round(gauss(output_tokens, sigma)), 15, 1025)} drawn in run order from
     * Python's generator seeded with the run's seed, as {@code add_noise.py} draws it.
     */
    private static long[] noisy(List<SampledRequest> requests, double sigma, long seed) {
        String fieldName = "output_tokens_noise_" + (sigma == Math.rint(sigma) ? Long.toString((long) sigma) : Double.toString(sigma));
        PythonRandom random = new PythonRandom(seed);
        long[] values = new long[requests.size()];
        for (int i = 0; i < values.length; i++) {
            SampledRequest r = requests.get(i);
            OptionalInt annotated = r.entry().extra(fieldName);
            if (annotated.isPresent()) {
                values[i] = annotated.getAsInt();
            } else {
                long drawn = Math.max(0, (long) Math.rint(random.gauss(r.outputTokens(), sigma)));
                values[i] = Math.min(Math.max(drawn, NOISE_MIN), NOISE_MAX);
            }
        }
        return values;
    }

    private static List<Assigned> quartiles(long[] priorities) {
        double[] sample = toDoubles(priorities);
        double q1 = NumpyStats.percentile(sample, 25);
        double q2 = NumpyStats.percentile(sample, 50);
        double q3 = NumpyStats.percentile(sample, 75);
        return java.util.Arrays.stream(priorities)
                .mapToObj(p -> new Assigned(true, p, p <= q1 ? 0 : p <= q2 ? 1 : p <= q3 ? 2 : 3))
                .toList();
    }

    /** K classes of the oracle length by quantile, or by the given upper edges; the class is also the priority. */
    private static List<Assigned> binned(List<SampledRequest> requests, PrioritySource.Binned binned) {
        long[] lengths = values(requests, SampledRequest::outputTokens);
        double[] edges;
        if (binned.edges().isEmpty()) {
            double[] sample = toDoubles(lengths);
            edges = new double[binned.classes() - 1];
            for (int k = 1; k < binned.classes(); k++) {
                edges[k - 1] = NumpyStats.percentile(sample, 100.0 * k / binned.classes());
            }
        } else {
            edges = binned.edges().stream().mapToDouble(Integer::doubleValue).toArray();
        }
        return java.util.Arrays.stream(lengths).mapToObj(length -> {
            int bin = 0;
            while (bin < edges.length && length > edges[bin]) {
                bin++;
            }
            return new Assigned(true, bin, bin);
        }).toList();
    }

    private static double[] toDoubles(long[] values) {
        return java.util.Arrays.stream(values).asDoubleStream().toArray();
    }
}
