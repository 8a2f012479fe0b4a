package dev.schedbench.report;

import dev.schedbench.model.Policy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The one look of every chart, in PNG exports, the HTML report and the app: white background,
 * light solid grid, sans-serif type, a fixed colour per policy (so fcfs is the same blue
 * everywhere), and shades of it for several runs of one policy.
 */
public final class ChartStyle {

    public static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    public static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    public static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    public static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    public static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    public static final Color FRAME = new Color(0x99, 0x99, 0x99);
    public static final Color UNKNOWN_POLICY = new Color(0x7F, 0x7F, 0x7F);
    public static final Stroke LINE = new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    public static final Stroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {6f, 4f}, 0f);

    private ChartStyle() {}

    /** The policy's colour (a colour-blind-safe qualitative palette). */
    public static Color colour(Optional<Policy> policy) {
        if (policy.isEmpty()) {
            return UNKNOWN_POLICY;
        }
        return switch (policy.get()) {
            case FCFS -> new Color(0x1F, 0x77, 0xB4);
            case PRIORITY -> new Color(0xFF, 0x7F, 0x0E);
            case PRIORITY_ROUND_ROBIN -> new Color(0x2C, 0xA0, 0x2C);
            case ROUND_ROBIN -> new Color(0xD6, 0x27, 0x28);
            case PRIORITY_ROUND_ROBIN_REVERSE -> new Color(0x94, 0x67, 0xBD);
        };
    }

    /** One colour per run: its policy's, shaded darker and lighter for second and later runs of that policy. */
    public static List<Color> colours(ChartData data) {
        Map<Optional<Policy>, Integer> seen = new HashMap<>();
        List<Color> colours = new ArrayList<>();
        for (RunSeries run : data.runs()) {
            int n = seen.merge(run.policy(), 1, Integer::sum) - 1;
            colours.add(shade(colour(run.policy()), n));
        }
        return colours;
    }

    /** The n-th run of a policy: alternately darker and lighter than the policy's colour, further each time. */
    private static Color shade(Color base, int n) {
        if (n == 0) {
            return base;
        }
        int step = (n + 1) / 2;
        if (n % 2 == 1) {
            double keep = Math.max(0.3, 1 - 0.25 * step);
            return new Color((int) (base.getRed() * keep), (int) (base.getGreen() * keep), (int) (base.getBlue() * keep));
        }
        double towardsWhite = Math.min(0.75, 0.3 * step);
        return new Color(mix(base.getRed(), towardsWhite), mix(base.getGreen(), towardsWhite), mix(base.getBlue(), towardsWhite));
    }

    private static int mix(int channel, double towardsWhite) {
        return (int) Math.round(channel + (255 - channel) * towardsWhite);
    }

    /** Applies the house style to a chart made anywhere. */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE_FONT);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LEGEND_FONT);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(FRAME);
        plot.setNoDataMessageFont(LABEL_FONT);
        switch (plot) {
            case XYPlot xy -> {
                xy.setDomainGridlinePaint(GRID);
                xy.setRangeGridlinePaint(GRID);
                xy.setDomainGridlineStroke(new BasicStroke(1f));
                xy.setRangeGridlineStroke(new BasicStroke(1f));
                xy.setDomainGridlinesVisible(true);
                xy.setRangeGridlinesVisible(true);
                for (int i = 0; i < xy.getDomainAxisCount(); i++) {
                    style(xy.getDomainAxis(i));
                }
                for (int i = 0; i < xy.getRangeAxisCount(); i++) {
                    style(xy.getRangeAxis(i));
                }
            }
            case CategoryPlot cat -> {
                cat.setRangeGridlinePaint(GRID);
                cat.setRangeGridlineStroke(new BasicStroke(1f));
                cat.setRangeGridlinesVisible(true);
                cat.setDomainGridlinesVisible(false);
                style(cat.getDomainAxis());
                style(cat.getRangeAxis());
            }
            default -> { }
        }
        return chart;
    }

    private static void style(Axis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(LABEL_FONT);
        axis.setTickLabelFont(TICK_FONT);
        axis.setAxisLinePaint(FRAME);
        axis.setTickMarkPaint(FRAME);
    }
}
