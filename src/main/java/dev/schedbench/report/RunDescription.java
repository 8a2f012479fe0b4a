package dev.schedbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.store.Note;
import dev.schedbench.store.RunHeader;
import dev.schedbench.store.RunRepository;
import dev.schedbench.store.StoredRun;
import java.time.Instant;
import java.util.List;

/** A run described in plain text: what {@code runs show} prints. */
public final class RunDescription {

    private static final int SHOWN_LIST = 8;

    private RunDescription() {}

    public static String text(RunRepository repository, long id) {
        StoredRun run = repository.require(id);
        RunHeader h = run.header();
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(id).append(" (").append(h.status().label()).append(")\n");
        line(out, "kind", h.kind());
        line(out, "engine", h.engine());
        line(out, "model", h.model());
        line(out, "policy", h.policyLabel());
        line(out, "started", h.startedAt().toString());
        line(out, "finished", h.finishedAt().map(Instant::toString).orElse("-"));
        line(out, "host", h.host());
        line(out, "versions", "schedbench " + h.versions().schedbench() + ", Java " + h.versions().java() + ", JavaFX "
                + h.versions().javafx());
        h.serverCommand().ifPresent(c -> line(out, "server", c));
        line(out, "requests", repository.requestCount(id) + " recorded of " + h.totalRequests());
        line(out, "samples", repository.samples(id).size() + " client, " + repository.serverSamples(id).size() + " server");
        if (run.imported()) {
            line(out, "imported", "from " + run.sourceFile().orElse("a file"));
        }
        if (!run.tags().isEmpty()) {
            line(out, "tags", String.join(", ", run.tags()));
        }
        if (!h.message().isEmpty()) {
            line(out, "message", h.message());
        }
        out.append("Spec:\n").append(indent(ReportJson.pretty(ReportJson.parseOrText(h.specJson())))).append('\n');
        out.append("Summary:\n");
        if (h.result().summaryJson().isEmpty()) {
            out.append("  (none: the run did not finish; 'runs compare' and the exports compute figures from its requests)\n");
        } else {
            JsonNode summary = ReportJson.parseOrText(h.result().summaryJson().get());
            int width = 0;
            for (var it = summary.fieldNames(); it.hasNext(); ) {
                width = Math.max(width, it.next().length());
            }
            int keyWidth = width;
            summary.properties().forEach(e -> out.append("  ").append(e.getKey()).append(':')
                    .append(" ".repeat(keyWidth - e.getKey().length() + 1)).append(value(e.getValue())).append('\n'));
        }
        List<Note> notes = repository.notes(id);
        if (!notes.isEmpty()) {
            out.append("Notes:\n");
            notes.forEach(n -> out.append("  ").append(n.createdAt()).append("  ").append(n.text()).append('\n'));
        }
        return out.toString();
    }

    private static String value(JsonNode node) {
        if (node.isNumber() && !node.isIntegralNumber()) {
            return Tables.number(node.asDouble());
        }
        if (node.isArray() && node.size() > SHOWN_LIST) {
            return "(a list of " + node.size() + " values)";
        }
        return node.isTextual() ? node.asText() : ReportJson.compact(node);
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append("  ").append(name).append(':').append(" ".repeat(Math.max(1, 10 - name.length()))).append(value).append('\n');
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
