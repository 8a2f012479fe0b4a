package dev.schedbench.model;

import java.util.List;
import java.util.Locale;

/**
 * Where a request's priority comes from. Lower values are served earlier, as in vLLM.
 */
public sealed interface PrioritySource {

    /** No priority is sent. */
    record None() implements PrioritySource {}

    /** The dataset's oracle {@code output_tokens}: the seed's shortest-predicted-job-first. */
    record Oracle() implements PrioritySource {}

    /**
     * {@code classes} classes of the oracle length, by quantile when {@code edges} is empty, else by
     * the given ascending upper edges (a length {@code <= edges[i]} is class {@code i}).
     */
    record Binned(int classes, List<Integer> edges) implements PrioritySource {
        public Binned {
            if (classes < 1) {
                throw new IllegalArgumentException("binned priority needs at least one class, got " + classes);
            }
            edges = List.copyOf(edges);
        }
    }

    /** The oracle length plus Gaussian noise of standard deviation {@code sigma} tokens (the fork's add_noise.py). */
    record Noisy(double sigma) implements PrioritySource {
        public Noisy {
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("noise sigma must be a finite number >= 0, got " + sigma);
            }
        }
    }

    /** A named dataset field holding a predicted length, e.g. one written by a length predictor. */
    record Predicted(String field) implements PrioritySource {}

    /** Parses {@code none}, {@code oracle}, {@code binned:K}, {@code binned:E1,E2,...}, {@code noisy:SIGMA}, {@code predicted:FIELD}. */
    static PrioritySource parse(String text) {
        String spec = text.trim();
        String lower = spec.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("none")) {
                return new None();
            }
            if (lower.equals("oracle")) {
                return new Oracle();
            }
            if (lower.startsWith("binned:")) {
                String arg = spec.substring("binned:".length());
                if (arg.contains(",")) {
                    List<Integer> edges = java.util.Arrays.stream(arg.split(",")).map(String::trim).map(Integer::parseInt).toList();
                    for (int i = 1; i < edges.size(); i++) {
                        if (edges.get(i) <= edges.get(i - 1)) {
                            throw new IllegalArgumentException("bin edges must be strictly ascending: " + arg);
                        }
                    }
                    return new Binned(edges.size() + 1, edges);
                }
                return new Binned(Integer.parseInt(arg.trim()), List.of());
            }
            if (lower.startsWith("noisy:")) {
                return new Noisy(Double.parseDouble(spec.substring("noisy:".length()).trim()));
            }
            if (lower.startsWith("predicted:") && spec.length() > "predicted:".length()) {
                return new Predicted(spec.substring("predicted:".length()).trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad priority source '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unknown priority source '" + text
                + "'; expected none, oracle, binned:K, binned:E1,E2,..., noisy:SIGMA or predicted:FIELD");
    }

    /** The spelling {@link #parse} accepts. */
    default String spec() {
        return switch (this) {
            case None n -> "none";
            case Oracle o -> "oracle";
            case Binned b when b.edges().isEmpty() -> "binned:" + b.classes();
            case Binned b -> "binned:" + String.join(",", b.edges().stream().map(String::valueOf).toList());
            case Noisy n -> "noisy:" + stripZeros(n.sigma());
            case Predicted p -> "predicted:" + p.field();
        };
    }

    private static String stripZeros(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
