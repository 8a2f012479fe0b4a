package dev.schedbench.report;

import dev.schedbench.metrics.BenchmarkMetrics;
import dev.schedbench.metrics.ClientHealth;
import dev.schedbench.metrics.Fairness;
import dev.schedbench.metrics.MetricStats;
import dev.schedbench.metrics.MetricsConfig;
import dev.schedbench.metrics.PriorityClassStats;
import dev.schedbench.metrics.PyFormat;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console summary of a serving run: vLLM's "Serving Benchmark Result" block character for
 * character ({@code "{:<40} {:<10.2f}"} lines), then the workbench's extras (per priority class,
 * fairness, client health). Independent of the default locale.
 */
public final class ConsoleReport {

    private static final int WIDTH = 50;

    /** How vLLM names a metric in its lines and in its section header. */
    private record Label(String name, String header) {}

    private static final Map<String, Label> LABELS = Map.of(
            "ttft", new Label("TTFT", "Time to First Token"),
            "tpot", new Label("TPOT", "Time per Output Token (excl. 1st token)"),
            "itl", new Label("ITL", "Inter-token Latency"),
            "e2el", new Label("E2EL", "End-to-end Latency"));

    private ConsoleReport() {}

    /**
     * vLLM's block followed by the extras; lines end with {@code \n}. {@code config} must be the one the
     * metrics were computed with (it names the percentiles to print).
     */
    public static String format(BenchmarkMetrics m, MetricsConfig config) {
        return vllmBlock(m, config) + extrasBlock(m, config);
    }

    /** Exactly what vLLM prints after a serving run, from the result banner to the closing rule. */
    public static String vllmBlock(BenchmarkMetrics m, MetricsConfig config) {
        StringBuilder out = new StringBuilder();
        line(out, centre(" Serving Benchmark Result ", '='));
        line(out, count("Successful requests:", m.completed()));
        line(out, value("Benchmark duration (s):", m.durationSeconds()));
        line(out, count("Total input tokens:", m.totalInputTokens()));
        line(out, count("Total generated tokens:", m.totalOutputTokens()));
        line(out, value("Request throughput (req/s):", m.requestThroughput()));
        if (config.hasGoodput()) {
            line(out, value("Request goodput (req/s):", m.requestGoodput().orElse(0)));
        }
        line(out, value("Output token throughput (tok/s):", m.outputThroughput()));
        line(out, value("Total Token throughput (tok/s):", m.totalTokenThroughput()));
        for (String metric : config.reportedMetrics()) {
            String name = LABELS.get(metric).name();
            MetricStats stats = m.stats(metric);
            line(out, centre(LABELS.get(metric).header(), '-'));
            line(out, value("Mean " + name + " (ms):", stats.meanMs()));
            line(out, value("Median " + name + " (ms):", stats.medianMs()));
            for (double percent : config.percentiles()) {
                line(out, value("P" + PyFormat.percentileWord(percent) + " " + name + " (ms):", stats.percentileMs(percent)));
            }
        }
        line(out, "=".repeat(WIDTH));
        return out.toString();
    }

    /** The workbench's additions, in the same style. */
    public static String extrasBlock(BenchmarkMetrics m, MetricsConfig config) {
        StringBuilder out = new StringBuilder();
        line(out, centre(" Schedbench Extras ", '='));
        classTable(out, m.priorityClasses(), config);
        line(out, centre("Fairness (slowdown)", '-'));
        fairness(out, m.fairness());
        ClientHealth client = m.client();
        line(out, centre("Client", '-'));
        line(out, count("Requests sent:", client.requests()));
        line(out, count("Failed requests:", m.failed()));
        line(out, value("Requested rate (req/s):", client.requestedRateRps()));
        line(out, client.achievedRateRps().isPresent()
                ? value("Achieved send rate (req/s):", client.achievedRateRps().getAsDouble())
                : text("Achieved send rate (req/s):", "n/a"));
        line(out, value("Send lag P50 (ms):", client.sendLagP50Ms()));
        line(out, value("Send lag P99 (ms):", client.sendLagP99Ms()));
        line(out, value("Send lag max (ms):", client.sendLagMaxMs()));
        line(out, "=".repeat(WIDTH));
        return out.toString();
    }

    private static void classTable(StringBuilder out, List<PriorityClassStats> classes, MetricsConfig config) {
        if (classes.isEmpty()) {
            return;
        }
        Optional<Double> tail = config.percentiles().isEmpty()
                ? Optional.empty()
                : Optional.of(Collections.max(config.percentiles()));
        String tailName = tail.map(p -> "P" + PyFormat.percentileWord(p)).orElse("Median");
        line(out, centre("Priority classes (ms)", '-'));
        line(out, row("Class", "Priority", "Reqs", "OK", "TTFT mean", "TTFT " + tailName,
                "E2EL mean", "E2EL " + tailName, "Slowdown"));
        for (PriorityClassStats c : classes) {
            String priority = c.minPriority().isEmpty() ? "-"
                    : c.minPriority().equals(c.maxPriority()) ? Long.toString(c.minPriority().getAsLong())
                    : c.minPriority().getAsLong() + "-" + c.maxPriority().getAsLong();
            MetricStats ttft = c.stats("ttft");
            MetricStats e2el = c.stats("e2el");
            line(out, row(
                    Integer.toString(c.priorityClass()),
                    priority,
                    Integer.toString(c.requests()),
                    Integer.toString(c.completed()),
                    PyFormat.fixed(ttft.meanMs(), 2),
                    PyFormat.fixed(tail.map(ttft::percentileMs).orElse(ttft.medianMs()), 2),
                    PyFormat.fixed(e2el.meanMs(), 2),
                    PyFormat.fixed(tail.map(e2el::percentileMs).orElse(e2el.medianMs()), 2),
                    c.fairness().map(f -> PyFormat.fixed(f.meanSlowdown(), 2)).orElse("-")));
        }
    }

    private static void fairness(StringBuilder out, Optional<Fairness> fairness) {
        if (fairness.isEmpty()) {
            line(out, text("Jain's fairness index:", "n/a (no successful request)"));
            return;
        }
        Fairness f = fairness.get();
        line(out, count("Requests with a slowdown:", f.requests()));
        line(out, text("Jain's fairness index:", PyFormat.fixed(f.jainIndex(), 4)));
        line(out, value("Mean slowdown:", f.meanSlowdown()));
        line(out, value("Median slowdown:", f.medianSlowdown()));
        line(out, value("Max slowdown:", f.maxSlowdown()));
    }

    private static String row(String... cells) {
        int[] widths = {5, 13, 5, 5, 10, 10, 10, 10, 9};
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            if (i > 0) {
                row.append(' ');
            }
            row.append(i < 2 ? padRight(cell, widths[i]) : padLeft(cell, widths[i]));
        }
        return row.toString().stripTrailing();
    }

    /** {@code "{:<40} {:<10.2f}"}. */
    private static String value(String label, double value) {
        return text(label, PyFormat.fixed(value, 2));
    }

    /** {@code "{:<40} {:<10}"} of an integer. */
    private static String count(String label, long value) {
        return text(label, Long.toString(value));
    }

    private static String text(String label, String value) {
        return padRight(label, 40) + " " + padRight(value, 10);
    }

    /** Python's {@code "{s:{c}^{n}}"}: the odd padding character goes to the right. */
    private static String centre(String text, char fill) {
        int padding = Math.max(0, WIDTH - text.length());
        int left = padding / 2;
        return String.valueOf(fill).repeat(left) + text + String.valueOf(fill).repeat(padding - left);
    }

    private static String padRight(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append('\n');
    }
}
