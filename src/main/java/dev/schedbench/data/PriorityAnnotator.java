package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * Adds priority fields to a dataset's entries, keeping every field they have (and its order), as the
 * fork's {@code add_noise.py} did. Entries must already be valid (each an object with an integer
 * {@code output_tokens}); {@link DatasetReader} checks that first.
 */
public final class PriorityAnnotator {

    /**
     * What was added.
     *
     * @param fields the field names written
     * @param edges  for bins: the upper (inclusive) edge of every class but the last
     */
    public record Result(List<String> fields, double[] edges) {}

    private PriorityAnnotator() {}

    public static Result annotate(ArrayNode entries, Annotation annotation) {
        List<String> fields = annotation.fieldNames();
        return switch (annotation) {
            case Annotation.Noise noise -> {
                addNoise(entries, noise, fields);
                yield new Result(fields, new double[0]);
            }
            case Annotation.Bins bins -> {
                double[] edges = edges(entries, bins);
                addBins(entries, edges, fields.getFirst());
                yield new Result(fields, edges);
            }
        };
    }

    private static void addNoise(ArrayNode entries, Annotation.Noise noise, List<String> fields) {
        PythonRandom random = new PythonRandom(noise.seed());
        for (JsonNode node : entries) {
            ObjectNode entry = (ObjectNode) node;
            int tokens = entry.path("output_tokens").asInt();
            for (int s = 0; s < noise.sigmas().size(); s++) {
                // round() in Python rounds half to even, as Math.rint does
                long drawn = Math.max(0, (long) Math.rint(random.gauss(tokens, noise.sigmas().get(s))));
                long clamped = Math.max(noise.min(), Math.min(drawn, noise.max()));
                entry.put(fields.get(s), clamped);
            }
        }
    }

    /** Class edges as the benchmark computes them: numpy percentiles at k/K, or the given edges. */
    static double[] edges(ArrayNode entries, Annotation.Bins bins) {
        if (!bins.binned().edges().isEmpty()) {
            return bins.binned().edges().stream().mapToDouble(Integer::doubleValue).toArray();
        }
        double[] sorted = new double[entries.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = entries.get(i).path("output_tokens").asInt();
        }
        Arrays.sort(sorted);
        int classes = bins.binned().classes();
        double[] edges = new double[classes - 1];
        for (int k = 1; k < classes; k++) {
            edges[k - 1] = Distribution.percentile(sorted, 100.0 * k / classes);
        }
        return edges;
    }

    private static void addBins(ArrayNode entries, double[] edges, String field) {
        for (JsonNode node : entries) {
            int tokens = node.path("output_tokens").asInt();
            int bin = 0;
            while (bin < edges.length && tokens > edges[bin]) {
                bin++;
            }
            ((ObjectNode) node).put(field, bin);
        }
    }
}
