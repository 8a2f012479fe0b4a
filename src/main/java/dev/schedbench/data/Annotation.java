package dev.schedbench.data;

import dev.schedbench.model.PrioritySource;
import dev.schedbench.model.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A priority field {@code dataset annotate} adds to every entry. */
public sealed interface Annotation {

    /** The fork's {@code add_noise.py}: its seed and clamp bounds. */
    long FORK_SEED = 585;
    int FORK_MIN = 15;
    int FORK_MAX = 1025;

    /**
     * {@code output_tokens_noise_{σ}} = {@code clamp(max(0, round(gauss(output_tokens, σ))), min, max)} for
     * every σ, drawn entry by entry and σ by σ from Python's generator seeded with {@code seed}.
     */
    record Noise(List<Double> sigmas, long seed, int min, int max) implements Annotation {
        public Noise {
            sigmas = List.copyOf(sigmas);
            if (sigmas.isEmpty()) {
                throw new UserError("noisy: needs at least one sigma, e.g. noisy:50 or noisy:10,25,50");
            }
            if (min > max) {
                throw new UserError("--min " + min + " is above --max " + max);
            }
        }
    }

    /**
     * {@code output_tokens_binned_{K}} (K classes by quantile of {@code output_tokens}) or
     * {@code output_tokens_binned_{E1_E2..}} (fixed upper edges): the class, 0 for the shortest.
     */
    record Bins(PrioritySource.Binned binned) implements Annotation {}

    /** Parses {@code binned:K}, {@code binned:E1,E2,...} or {@code noisy:S1[,S2,...]}. */
    static Annotation parse(String spec, long seed, int min, int max) {
        String text = spec.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("noisy:")) {
            List<Double> sigmas = new ArrayList<>();
            for (String part : text.substring("noisy:".length()).split(",")) {
                try {
                    sigmas.add(new PrioritySource.Noisy(Double.parseDouble(part.trim())).sigma());
                } catch (NumberFormatException e) {
                    throw new UserError("--priority " + spec + ": '" + part.trim() + "' is not a number");
                } catch (IllegalArgumentException e) {
                    throw new UserError("--priority " + spec + ": " + e.getMessage());
                }
            }
            return new Noise(sigmas, seed, min, max);
        }
        if (lower.startsWith("binned:")) {
            try {
                if (PrioritySource.parse(text) instanceof PrioritySource.Binned b) {
                    return new Bins(b);
                }
            } catch (IllegalArgumentException e) {
                throw new UserError("--priority " + spec + ": " + e.getMessage());
            }
        }
        throw new UserError("--priority " + spec + " is not an annotation; expected binned:K, binned:E1,E2,... or noisy:SIGMA[,SIGMA...]");
    }

    /** The field names this annotation writes, in order. */
    default List<String> fieldNames() {
        return switch (this) {
            case Noise n -> n.sigmas().stream().map(s -> "output_tokens_noise_" + label(s)).toList();
            case Bins b when b.binned().edges().isEmpty() -> List.of("output_tokens_binned_" + b.binned().classes());
            case Bins b -> List.of("output_tokens_binned_"
                    + b.binned().edges().stream().map(String::valueOf).collect(Collectors.joining("_")));
        };
    }

    /** σ as Python's f-string writes the number the user gave: {@code 10}, {@code 12.5}. */
    static String label(double sigma) {
        return sigma == Math.rint(sigma) && Math.abs(sigma) < 1e15 ? Long.toString((long) sigma) : PythonJson.floatRepr(sigma);
    }
}
