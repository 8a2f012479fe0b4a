package dev.schedbench.report;

import org.jfree.chart.JFreeChart;

/** Makes any chart of the catalogue from plain run data, styled; the app and every export use this. */
public final class Charts {

    private Charts() {}

    public static JFreeChart create(ChartKind kind, ChartData data) {
        JFreeChart chart = switch (kind) {
            case TTFT_BOX -> DistributionCharts.box("Time to first token", "TTFT (ms)", data, RunSeries::ttftMs);
            case E2EL_BOX -> DistributionCharts.box("End-to-end latency", "E2EL (ms)", data, RunSeries::e2elMs);
            case TTFT_VIOLIN -> DistributionCharts.violin("Time to first token", "TTFT (ms)", data, RunSeries::ttftMs);
            case E2EL_VIOLIN -> DistributionCharts.violin("End-to-end latency", "E2EL (ms)", data, RunSeries::e2elMs);
            case TTFT_VS_RATE -> SeriesCharts.versusRate("TTFT against request rate (solid: mean, dashed: P99)",
                    "TTFT (ms)", data, RunSeries::ttftMs);
            case E2EL_VS_RATE -> SeriesCharts.versusRate("E2EL against request rate (solid: mean, dashed: P99)",
                    "E2EL (ms)", data, RunSeries::e2elMs);
            case TTFT_CDF -> DistributionCharts.cdf("Time to first token (CDF)", "TTFT (ms)", "requests", data,
                    RunSeries::ttftMs);
            case E2EL_CDF -> DistributionCharts.cdf("End-to-end latency (CDF)", "E2EL (ms)", "requests", data,
                    RunSeries::e2elMs);
            case ITL_CDF -> DistributionCharts.cdf("Inter-token latency (CDF)", "ITL (ms)", "token gaps", data,
                    RunSeries::itlMs);
            case THROUGHPUT -> SeriesCharts.clientSeries("Output token throughput", "Tokens per second", data,
                    s -> s.outputTokensPerSecond());
            case IN_FLIGHT -> SeriesCharts.clientSeries("Requests in flight", "Requests", data, s -> s.inFlight());
            case SERVER_QUEUE -> SeriesCharts.serverQueue(data);
            case KV_USAGE -> SeriesCharts.kvUsage(data);
            case CLASS_TTFT -> SeriesCharts.perClass("Mean TTFT per priority class", "Mean TTFT (ms)", data,
                    RunSeries.ClassFigures::meanTtftMs);
            case CLASS_E2EL -> SeriesCharts.perClass("Mean E2EL per priority class", "Mean E2EL (ms)", data,
                    RunSeries.ClassFigures::meanE2elMs);
        };
        return ChartStyle.apply(chart);
    }
}
