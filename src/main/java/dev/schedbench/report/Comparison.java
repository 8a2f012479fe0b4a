package dev.schedbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.store.RunHeader;
import dev.schedbench.store.StoredRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs side by side: what they were, then every figure any of them reports (the numbers of the
 * result documents, in their order), each with its difference to the first run in percent. A run
 * without a result document (interrupted) is described by figures computed from its requests.
 */
public record Comparison(List<String> columns, List<Row> rows) {

    /** One line: its name, a value per run, and per run its difference to the first run (empty where undefined). */
    public record Row(String name, List<String> values, List<String> relativeToFirst) {
        public Row {
            values = List.copyOf(values);
            relativeToFirst = List.copyOf(relativeToFirst);
        }
    }

    public Comparison {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public static Comparison of(List<StoredRun> runs, Function<Long, List<RequestRecord>> requests) {
        List<String> columns = runs.stream().map(r -> "run " + r.id()).toList();
        List<Row> rows = new ArrayList<>();
        rows.add(text("kind", runs, h -> h.kind()));
        rows.add(text("status", runs, h -> h.status().label()));
        rows.add(text("engine", runs, RunHeader::engine));
        rows.add(text("model", runs, RunHeader::model));
        rows.add(text("policy", runs, RunHeader::policyLabel));
        List<SequencedMap<String, Double>> figures = runs.stream().map(r -> figures(r, requests)).toList();
        Set<String> names = new LinkedHashSet<>();
        figures.forEach(f -> names.addAll(f.keySet()));
        for (String name : names) {
            List<OptionalDouble> values = figures.stream()
                    .map(f -> f.containsKey(name) ? OptionalDouble.of(f.get(name)) : OptionalDouble.empty()).toList();
            List<String> shown = values.stream().map(v -> v.isPresent() ? Tables.number(v.getAsDouble()) : "-").toList();
            List<String> relative = new ArrayList<>();
            for (OptionalDouble v : values) {
                relative.add(relative.isEmpty() || v.isEmpty() || values.getFirst().isEmpty() ? ""
                        : Tables.relative(v.getAsDouble(), values.getFirst().getAsDouble()));
            }
            rows.add(new Row(name, shown, relative));
        }
        return new Comparison(columns, rows);
    }

    private static Row text(String name, List<StoredRun> runs, Function<RunHeader, String> field) {
        List<String> values = runs.stream().map(r -> field.apply(r.header())).toList();
        return new Row(name, values, values.stream().map(v -> "").toList());
    }

    /** The run's figures: numbers of its result document (nested ones as {@code a.b}), or computed from its requests. */
    static SequencedMap<String, Double> figures(StoredRun run, Function<Long, List<RequestRecord>> requests) {
        SequencedMap<String, Double> figures = new LinkedHashMap<>();
        Optional<String> summary = run.header().result().summaryJson();
        if (summary.isPresent()) {
            flatten("", ReportJson.parseOrText(summary.get()), figures);
            return figures;
        }
        List<RequestRecord> rows = requests.apply(run.id());
        if (rows.isEmpty()) {
            return figures;
        }
        // The same document a finished run stores, computed from what was recorded, so rows line up.
        try {
            flatten("", ReportJson.MAPPER.valueToTree(VllmJson.document(run, rows)), figures);
        } catch (dev.schedbench.model.UserError unreadableSpec) {
            // Nothing comparable can be computed; the run's column stays empty rather than failing the table.
        }
        return figures;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Double> into) {
        node.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isNumber()) {
                into.put(prefix + e.getKey(), value.asDouble());
            } else if (value.isObject() && prefix.isEmpty()) {
                flatten(e.getKey() + ".", value, into);
            }
        });
    }

    /** A plain-text table: a column per run, values followed by their difference to the first run. */
    public String toText() {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("");
        header.addAll(columns);
        cells.add(header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            line.add(row.name());
            for (int i = 0; i < row.values().size(); i++) {
                String rel = row.relativeToFirst().get(i);
                line.add(rel.isEmpty() ? row.values().get(i) : row.values().get(i) + " (" + rel + ")");
            }
            cells.add(line);
        }
        int[] widths = new int[header.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                text.append(i == 0 ? cell + " ".repeat(widths[i] - cell.length()) : "  " + " ".repeat(widths[i] - cell.length()) + cell);
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
