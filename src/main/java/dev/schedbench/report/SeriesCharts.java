package dev.schedbench.report;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RunEvent;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Charts of figures against something: request rate, time, priority class. */
final class SeriesCharts {

    private SeriesCharts() {}

    /** Mean (solid) and P99 (dashed) of a latency against the request rate, one pair of lines per policy. */
    static JFreeChart versusRate(String title, String axisLabel, ChartData data, Function<RunSeries, double[]> values) {
        Map<Optional<Policy>, List<RunSeries>> byPolicy = new LinkedHashMap<>();
        for (RunSeries run : data.runs()) {
            if (run.requestRateRps().isPresent() && values.apply(run).length > 0) {
                byPolicy.computeIfAbsent(run.policy(), p -> new ArrayList<>()).add(run);
            }
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setAutoPopulateSeriesShape(false);
        renderer.setDefaultShape(new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        byPolicy.forEach((policy, runs) -> {
            String name = policy.map(Policy::cliName).orElse("unknown policy");
            XYSeries mean = new XYSeries(name + " mean", true, true);
            XYSeries p99 = new XYSeries(name + " P99", true, true);
            for (RunSeries run : runs) {
                double[] sorted = Stats.sorted(values.apply(run));
                mean.add(run.requestRateRps().getAsDouble(), Stats.mean(sorted));
                p99.add(run.requestRateRps().getAsDouble(), Stats.percentile(sorted, 99));
            }
            Color colour = ChartStyle.colour(policy);
            int m = dataset.getSeriesCount();
            dataset.addSeries(mean);
            dataset.addSeries(p99);
            renderer.setSeriesPaint(m, colour);
            renderer.setSeriesPaint(m + 1, colour);
            renderer.setSeriesStroke(m, ChartStyle.LINE);
            renderer.setSeriesStroke(m + 1, ChartStyle.DASHED);
        });
        NumberAxis x = new NumberAxis("Request rate (req/s)");
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(dataset, x, new NumberAxis(axisLabel), renderer);
        plot.setNoDataMessage("No runs with a finite request rate");
        return new JFreeChart(title, ChartStyle.TITLE_FONT, plot, true);
    }

    /** One line per run of a client-side sample field against seconds since the run began. */
    static JFreeChart clientSeries(String title, String axisLabel, ChartData data,
            ToDoubleFunction<RunEvent.Snapshot> field) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        List<Color> colours = ChartStyle.colours(data);
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            if (run.samples().isEmpty()) {
                continue;
            }
            XYSeries series = new XYSeries(run.label(), false, true);
            run.samples().forEach(s -> series.add(s.elapsedNanos() / 1e9, field.applyAsDouble(s)));
            add(dataset, renderer, series, colours.get(i), false);
        }
        return timeChart(title, axisLabel, dataset, renderer, "No client samples in these runs");
    }

    /** The server's running (solid) and waiting (dashed) requests per run. */
    static JFreeChart serverQueue(ChartData data) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        List<Color> colours = ChartStyle.colours(data);
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            if (run.serverSamples().isEmpty()) {
                continue;
            }
            XYSeries running = new XYSeries(run.label() + " running", false, true);
            XYSeries waiting = new XYSeries(run.label() + " waiting", false, true);
            for (RunEvent.ServerState s : run.serverSamples()) {
                running.add(s.elapsedNanos() / 1e9, s.running());
                waiting.add(s.elapsedNanos() / 1e9, s.waiting());
            }
            add(dataset, renderer, running, colours.get(i), false);
            add(dataset, renderer, waiting, colours.get(i), true);
        }
        return timeChart("Server queue", "Requests", dataset, renderer, "No server samples in these runs");
    }

    static JFreeChart kvUsage(ChartData data) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        List<Color> colours = ChartStyle.colours(data);
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            if (run.serverSamples().isEmpty()) {
                continue;
            }
            XYSeries series = new XYSeries(run.label(), false, true);
            run.serverSamples().forEach(s -> series.add(s.elapsedNanos() / 1e9, s.kvCacheUsage() * 100));
            add(dataset, renderer, series, colours.get(i), false);
        }
        JFreeChart chart = timeChart("KV-cache usage", "KV cache used (%)", dataset, renderer, "No server samples in these runs");
        ((NumberAxis) ((XYPlot) chart.getPlot()).getRangeAxis()).setRange(0, 100);
        return chart;
    }

    private static void add(XYSeriesCollection dataset, XYLineAndShapeRenderer renderer, XYSeries series, Color colour,
            boolean dashed) {
        int index = dataset.getSeriesCount();
        dataset.addSeries(series);
        renderer.setSeriesPaint(index, colour);
        renderer.setSeriesStroke(index, dashed ? ChartStyle.DASHED : ChartStyle.LINE);
    }

    private static JFreeChart timeChart(String title, String axisLabel, XYSeriesCollection dataset,
            XYLineAndShapeRenderer renderer, String noData) {
        NumberAxis x = new NumberAxis("Time since start (s)");
        x.setAutoRangeIncludesZero(true);
        NumberAxis y = new NumberAxis(axisLabel);
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        plot.setNoDataMessage(noData);
        return new JFreeChart(title, ChartStyle.TITLE_FONT, plot, true);
    }

    /** Bars of a per-class figure, classes along the axis, one bar per run. */
    static JFreeChart perClass(String title, String axisLabel, ChartData data,
            ToDoubleFunction<RunSeries.ClassFigures> figure) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        List<Color> colours = ChartStyle.colours(data);
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            int row = dataset.getRowCount();
            boolean any = false;
            for (RunSeries.ClassFigures c : run.classes()) {
                double value = figure.applyAsDouble(c);
                if (!Double.isNaN(value)) {
                    dataset.addValue(value, run.label(), "class " + c.priorityClass());
                    any = true;
                }
            }
            if (any) {
                renderer.setSeriesPaint(row, colours.get(i));
            }
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("Priority class (0 is served first)"),
                new NumberAxis(axisLabel), renderer);
        plot.setNoDataMessage("No per-class data in these runs");
        return new JFreeChart(title, ChartStyle.TITLE_FONT, plot, true);
    }
}
