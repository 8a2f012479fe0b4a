package dev.schedbench.report;

import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.category.ScatterRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultMultiValueCategoryDataset;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Charts of latency distributions: box, violin and CDF, one shape or line per run. */
final class DistributionCharts {

    /** Points drawn per CDF line: enough to look smooth, few enough for a hundred thousand requests. */
    private static final int CDF_POINTS = 600;
    /** Values a violin's density is estimated from; larger samples are thinned evenly. */
    private static final int MAX_OUTLIERS_DRAWN = 400;
    private static final int KDE_SAMPLE = 4_000;
    private static final int KDE_POINTS = 120;

    private DistributionCharts() {}

    static JFreeChart box(String title, String axisLabel, ChartData data, Function<RunSeries, double[]> values) {
        DefaultBoxAndWhiskerCategoryDataset boxes = new DefaultBoxAndWhiskerCategoryDataset();
        DefaultMultiValueCategoryDataset outliers = new DefaultMultiValueCategoryDataset();
        List<Color> colours = new ArrayList<>();
        List<Color> all = ChartStyle.colours(data);
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            double[] sorted = Stats.sorted(values.apply(run));
            if (sorted.length > 0) {
                BoxAndWhiskerItem item = boxItem(sorted);
                boxes.add(item, axisLabel, run.label());
                outliers.add(thin(outliersOf(sorted, item), MAX_OUTLIERS_DRAWN), axisLabel, run.label());
                colours.add(all.get(i));
            }
        }
        BoxAndWhiskerRenderer renderer = new BoxAndWhiskerRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return colours.get(column);
            }
        };
        renderer.setFillBox(true);
        renderer.setMeanVisible(false);
        renderer.setMedianVisible(true);
        renderer.setUseOutlinePaintForWhiskers(true);
        renderer.setDefaultOutlinePaint(Color.DARK_GRAY);
        renderer.setMaximumBarWidth(0.15);
        renderer.setWhiskerWidth(0.6);
        // JFreeChart's own outliers are clustered into large bubbles; small points beside the box read better.
        ScatterRenderer points = new ScatterRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return colours.get(column);
            }
        };
        points.setUseSeriesOffset(false);
        points.setUseFillPaint(false);
        points.setDrawOutlines(false);
        points.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        points.setSeriesVisibleInLegend(0, false);
        CategoryPlot plot = new CategoryPlot(boxes, runAxis(), new NumberAxis(axisLabel), renderer);
        plot.setDataset(1, outliers);
        plot.setRenderer(1, points);
        plot.setNoDataMessage("No successful requests in these runs");
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
    }

    private static List<Double> outliersOf(double[] sorted, BoxAndWhiskerItem item) {
        List<Double> outside = new ArrayList<>();
        for (double v : sorted) {
            if (v < item.getMinRegularValue().doubleValue() || v > item.getMaxRegularValue().doubleValue()) {
                outside.add(v);
            }
        }
        return outside;
    }

    /** Tukey's box: quartiles linearly interpolated, whiskers at the furthest values within 1.5 IQR of the box. */
    private static BoxAndWhiskerItem boxItem(double[] sorted) {
        double q1 = Stats.percentile(sorted, 25);
        double q3 = Stats.percentile(sorted, 75);
        double iqr = q3 - q1;
        double lowFence = q1 - 1.5 * iqr;
        double highFence = q3 + 1.5 * iqr;
        double low = sorted[0];
        double high = sorted[sorted.length - 1];
        for (double v : sorted) {
            if (v >= lowFence) {
                low = v;
                break;
            }
        }
        for (int i = sorted.length - 1; i >= 0; i--) {
            if (sorted[i] <= highFence) {
                high = sorted[i];
                break;
            }
        }
        return new BoxAndWhiskerItem(Stats.mean(sorted), Stats.percentile(sorted, 50), q1, q3, low, high, low, high,
                List.of());
    }

    private static List<Double> thin(List<Double> values, int most) {
        if (values.size() <= most) {
            return values;
        }
        List<Double> kept = new ArrayList<>(most);
        for (int k = 0; k < most; k++) {
            kept.add(values.get((int) ((long) k * (values.size() - 1) / (most - 1))));
        }
        return kept;
    }

    static JFreeChart violin(String title, String axisLabel, ChartData data, Function<RunSeries, double[]> values) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<ViolinRenderer.Violin> violins = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        List<Color> all = ChartStyle.colours(data);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            double[] sorted = Stats.sorted(values.apply(run));
            if (sorted.length == 0) {
                continue;
            }
            min = Math.min(min, sorted[0]);
            max = Math.max(max, sorted[sorted.length - 1]);
            violins.add(violinShape(sorted));
            colours.add(all.get(i));
            dataset.addValue(Stats.percentile(sorted, 50), axisLabel, run.label());
        }
        Range range = violins.isEmpty() ? new Range(0, 1)
                : new Range(Math.max(0, min - Math.max((max - min) * 0.03, 1e-3)), max + Math.max((max - min) * 0.03, 1e-3));
        CategoryPlot plot = new CategoryPlot(dataset, runAxis(), new NumberAxis(axisLabel),
                new ViolinRenderer(violins, colours, range));
        plot.setNoDataMessage("No successful requests in these runs");
        return new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
    }

    /** Axis of runs whose long labels wrap onto up to four lines instead of being cut. */
    static CategoryAxis runAxis() {
        CategoryAxis axis = new CategoryAxis("Run");
        axis.setMaximumCategoryLabelLines(4);
        axis.setMaximumCategoryLabelWidthRatio(1.0f);
        return axis;
    }

    /** The density over the observed range (seaborn's cut=0), scaled to 1 at its peak. */
    private static ViolinRenderer.Violin violinShape(double[] sorted) {
        double[] sample = evenly(sorted, KDE_SAMPLE);
        double lo = sorted[0];
        double hi = sorted[sorted.length - 1];
        double bandwidth = bandwidth(sample, hi - lo);
        double[] ys = new double[KDE_POINTS];
        double[] density = new double[KDE_POINTS];
        double peak = 0;
        for (int k = 0; k < KDE_POINTS; k++) {
            ys[k] = lo + (hi - lo) * k / (KDE_POINTS - 1);
            double sum = 0;
            for (double v : sample) {
                double z = (ys[k] - v) / bandwidth;
                sum += Math.exp(-0.5 * z * z);
            }
            density[k] = sum;
            peak = Math.max(peak, sum);
        }
        for (int k = 0; k < KDE_POINTS; k++) {
            density[k] = peak > 0 ? density[k] / peak : 1;
        }
        return new ViolinRenderer.Violin(ys, density, Stats.percentile(sorted, 25), Stats.percentile(sorted, 50),
                Stats.percentile(sorted, 75));
    }

    /** Silverman's rule of thumb, with a floor so that a sample of equal values still draws. */
    private static double bandwidth(double[] sample, double range) {
        double mean = Stats.mean(sample);
        double var = 0;
        for (double v : sample) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / sample.length);
        double iqr = (Stats.percentile(sample, 75) - Stats.percentile(sample, 25)) / 1.34;
        double spread = iqr > 0 ? Math.min(sd, iqr) : sd;
        double h = 0.9 * spread * Math.pow(sample.length, -0.2);
        return h > 0 ? h : Math.max(range / 50, Math.max(Math.abs(mean) * 0.01, 1e-6));
    }

    /** At most {@code most} values taken at even ranks from sorted values (deterministic thinning). */
    private static double[] evenly(double[] sorted, int most) {
        if (sorted.length <= most) {
            return sorted;
        }
        double[] kept = new double[most];
        for (int k = 0; k < most; k++) {
            kept[k] = sorted[(int) ((long) k * (sorted.length - 1) / (most - 1))];
        }
        return kept;
    }

    static JFreeChart cdf(String title, String axisLabel, String fractionOf, ChartData data,
            Function<RunSeries, double[]> values) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        List<Color> colours = ChartStyle.colours(data);
        for (int i = 0; i < data.runs().size(); i++) {
            RunSeries run = data.runs().get(i);
            double[] sorted = Stats.sorted(values.apply(run));
            if (sorted.length == 0) {
                continue;
            }
            XYSeries series = new XYSeries(run.label(), false, true);
            int points = Math.min(sorted.length, CDF_POINTS);
            for (int k = 0; k < points; k++) {
                int rank = points == sorted.length ? k : (int) ((long) k * (sorted.length - 1) / (points - 1));
                series.add(sorted[rank], (rank + 1) / (double) sorted.length);
            }
            int index = dataset.getSeriesCount();
            dataset.addSeries(series);
            renderer.setSeriesPaint(index, colours.get(i));
            renderer.setSeriesStroke(index, ChartStyle.LINE);
        }
        NumberAxis x = new NumberAxis(axisLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("Fraction of " + fractionOf);
        y.setRange(0, 1.0);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        plot.setNoDataMessage("No successful requests in these runs");
        return new JFreeChart(title, ChartStyle.TITLE_FONT, plot, true);
    }

}
