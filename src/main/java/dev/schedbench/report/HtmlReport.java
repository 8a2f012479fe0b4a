package dev.schedbench.report;

import dev.schedbench.store.Note;
import dev.schedbench.store.RunHeader;
import dev.schedbench.store.RunRepository;
import dev.schedbench.store.StoredRun;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One self-contained HTML page about one or more runs: what they were, their figures side by side,
 * per-priority-class latencies, and every chart that has data, embedded as PNG. No scripts, fonts
 * or links to fetch: it opens the same in any browser, offline, and can be mailed as one file.
 */
public final class HtmlReport {

    public static final int CHART_WIDTH = 960;
    public static final int CHART_HEIGHT = 560;

    private HtmlReport() {}

    public static void write(Path file, RunRepository repository, List<Long> runIds) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, render(repository, runIds), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage() + "; check that the folder is writable", e);
        }
    }

    public static String render(RunRepository repository, List<Long> runIds) {
        List<StoredRun> runs = runIds.stream().map(repository::require).toList();
        ChartData data = ChartData.load(repository, runIds);
        StringBuilder html = new StringBuilder();
        String title = runs.size() == 1 ? "Schedbench run " + runs.getFirst().id()
                : "Schedbench runs " + String.join(", ", runs.stream().map(r -> Long.toString(r.id())).toList());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        runsTable(html, runs);
        notesList(html, runs, repository);
        html.append("<h2>Figures</h2>\n");
        comparisonTable(html, Comparison.of(runs, repository::requestTimings));
        classTable(html, data);
        html.append("<h2>Charts</h2>\n");
        boolean any = false;
        for (ChartKind kind : ChartKind.values()) {
            if (kind.hasData(data)) {
                any = true;
                byte[] png = PngExport.bytes(Charts.create(kind, data), CHART_WIDTH, CHART_HEIGHT);
                html.append("<figure id=\"").append(kind.cliName()).append("\"><img alt=\"").append(escape(kind.description()))
                        .append("\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(CHART_HEIGHT)
                        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                        .append("\"><figcaption>").append(escape(kind.description())).append("</figcaption></figure>\n");
            }
        }
        if (!any) {
            html.append("<p class=\"note\">These runs hold no per-request data or time series to chart.</p>\n");
        }
        html.append("<footer>Made by schedbench. Latencies count successful requests only, as vLLM's do.</footer>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void runsTable(StringBuilder html, List<StoredRun> runs) {
        html.append("<h2>Runs</h2>\n<table class=\"runs\">\n<thead><tr><th>id</th><th>kind</th><th>status</th><th>engine</th>"
                + "<th>model</th><th>policy</th><th>started (UTC)</th><th>finished (UTC)</th><th>requests</th><th>host</th>"
                + "<th>schedbench</th><th>tags</th></tr></thead>\n<tbody>\n");
        for (StoredRun run : runs) {
            RunHeader h = run.header();
            html.append("<tr>");
            cell(html, Long.toString(run.id()));
            cell(html, h.kind() + (run.imported() ? " (imported from " + run.sourceFile().orElse("a file") + ")" : ""));
            cell(html, h.status().label());
            cell(html, h.engine());
            cell(html, h.model());
            cell(html, h.policyLabel());
            cell(html, utc(h.startedAt()));
            cell(html, h.finishedAt().map(HtmlReport::utc).orElse("-"));
            cell(html, Integer.toString(h.totalRequests()));
            cell(html, h.host());
            cell(html, h.versions().schedbench());
            cell(html, String.join(", ", run.tags()));
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        for (StoredRun run : runs) {
            if (!run.header().message().isEmpty()) {
                html.append("<p class=\"note\">Run ").append(run.id()).append(": ").append(escape(run.header().message()))
                        .append("</p>\n");
            }
        }
    }

    private static void notesList(StringBuilder html, List<StoredRun> runs, RunRepository repository) {
        for (StoredRun run : runs) {
            List<Note> notes = repository.notes(run.id());
            if (notes.isEmpty()) {
                continue;
            }
            html.append("<p>Notes on run ").append(run.id()).append(":</p>\n<ul class=\"notes\">\n");
            for (Note note : notes) {
                html.append("<li>").append(escape(utc(note.createdAt()) + ": " + note.text())).append("</li>\n");
            }
            html.append("</ul>\n");
        }
    }

    private static void comparisonTable(StringBuilder html, Comparison comparison) {
        html.append("<table class=\"figures\">\n<thead><tr><th></th>");
        comparison.columns().forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (Comparison.Row row : comparison.rows()) {
            html.append("<tr><th>").append(escape(row.name())).append("</th>");
            for (int i = 0; i < row.values().size(); i++) {
                html.append("<td>").append(escape(row.values().get(i)));
                String rel = row.relativeToFirst().get(i);
                if (!rel.isEmpty()) {
                    html.append(" <span class=\"rel\">(").append(escape(rel)).append(")</span>");
                }
                html.append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void classTable(StringBuilder html, ChartData data) {
        if (data.runs().stream().noneMatch(r -> r.classes().size() > 1)) {
            return;
        }
        html.append("<h2>Per priority class</h2>\n<table class=\"classes\">\n<thead><tr><th>run</th><th>class</th>"
                + "<th>requests</th><th>succeeded</th><th>mean TTFT (ms)</th><th>P99 TTFT (ms)</th><th>mean E2EL (ms)</th>"
                + "<th>P99 E2EL (ms)</th></tr></thead>\n<tbody>\n");
        for (RunSeries run : data.runs()) {
            for (RunSeries.ClassFigures c : run.classes()) {
                html.append("<tr>");
                cell(html, run.label());
                cell(html, Integer.toString(c.priorityClass()));
                cell(html, Integer.toString(c.requests()));
                cell(html, Integer.toString(c.succeeded()));
                cell(html, Tables.number(c.meanTtftMs()));
                cell(html, Tables.number(c.p99TtftMs()));
                cell(html, Tables.number(c.meanE2elMs()));
                cell(html, Tables.number(c.p99E2elMs()));
                html.append("</tr>\n");
            }
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder html, String text) {
        html.append("<td>").append(escape(text)).append("</td>");
    }

    private static String utc(Instant instant) {
        return instant.toString().replace('T', ' ');
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 2em auto;
                   max-width: 1000px; color: #222; padding: 0 1em; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
            table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
            th:first-child, td:first-child { text-align: left; } thead th { background: #f4f4f4; }
            table.runs td { text-align: left; } .rel { color: #777; } .note { color: #555; }
            figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #555; font-size: 0.9em; } footer { margin-top: 3em; color: #888; font-size: 0.8em; }
            """;
}
