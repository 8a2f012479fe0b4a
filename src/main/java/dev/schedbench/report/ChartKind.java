package dev.schedbench.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The chart catalogue: every chart the app and the exports can draw, by the name the CLI takes. */
public enum ChartKind {
    TTFT_BOX("ttft-box", "Time to first token per run (box plot)"),
    E2EL_BOX("e2el-box", "End-to-end latency per run (box plot)"),
    TTFT_VIOLIN("ttft-violin", "Time to first token per run (violin plot)"),
    E2EL_VIOLIN("e2el-violin", "End-to-end latency per run (violin plot)"),
    TTFT_VS_RATE("ttft-vs-rate", "TTFT mean and P99 against request rate, per policy"),
    E2EL_VS_RATE("e2el-vs-rate", "E2EL mean and P99 against request rate, per policy"),
    TTFT_CDF("ttft-cdf", "Distribution of time to first token (CDF)"),
    E2EL_CDF("e2el-cdf", "Distribution of end-to-end latency (CDF)"),
    ITL_CDF("itl-cdf", "Distribution of inter-token latency (CDF)"),
    THROUGHPUT("throughput", "Output token throughput over time"),
    IN_FLIGHT("in-flight", "Requests in flight over time"),
    SERVER_QUEUE("server-queue", "Server queue over time: running and waiting"),
    KV_USAGE("kv-usage", "Server KV-cache usage over time"),
    CLASS_TTFT("class-ttft", "Mean time to first token per priority class"),
    CLASS_E2EL("class-e2el", "Mean end-to-end latency per priority class");

    private final String cliName;
    private final String description;

    ChartKind(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** Whether the runs hold what this chart draws (a chart without data says so, but a report skips it). */
    public boolean hasData(ChartData data) {
        return switch (this) {
            case TTFT_BOX, E2EL_BOX, TTFT_VIOLIN, E2EL_VIOLIN, TTFT_CDF, E2EL_CDF, ITL_CDF -> data.hasRequests();
            case TTFT_VS_RATE, E2EL_VS_RATE -> data.runs().stream()
                    .filter(r -> r.hasRequests() && r.requestRateRps().isPresent())
                    .map(r -> r.requestRateRps().getAsDouble()).distinct().count() > 1;
            case THROUGHPUT, IN_FLIGHT -> data.hasSamples();
            case SERVER_QUEUE, KV_USAGE -> data.hasServerSamples();
            case CLASS_TTFT, CLASS_E2EL -> data.runs().stream().anyMatch(r -> r.classes().size() > 1);
        };
    }

    public static ChartKind parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ChartKind kind : values()) {
            if (kind.cliName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown chart '" + text + "'; expected one of "
                + Arrays.stream(values()).map(ChartKind::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
