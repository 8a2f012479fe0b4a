package dev.schedbench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.LegendItem;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.AbstractCategoryItemRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;

/**
 * Draws one violin per category: the density of a run's values mirrored about the category's
 * centre, a narrow quartile box and a white median dot, as seaborn's violin plot does. JFreeChart
 * has no violin; the shapes are precomputed ({@link Violin}) and drawn on a category plot, so the
 * axis labels wrap like the box plot's.
 */
final class ViolinRenderer extends AbstractCategoryItemRenderer {

    private static final long serialVersionUID = 1L;
    private static final double HALF_WIDTH = 0.42;

    /** A run's violin: values {@code ys} ascending, {@code widths} in 0..1 (1 at the density's peak). */
    record Violin(double[] ys, double[] widths, double q1, double median, double q3) {}

    private final transient List<Violin> violins;
    private final transient List<Color> colours;
    private final Range range;

    ViolinRenderer(List<Violin> violins, List<Color> colours, Range range) {
        this.violins = List.copyOf(violins);
        this.colours = List.copyOf(colours);
        this.range = range;
    }

    @Override
    public Range findRangeBounds(CategoryDataset dataset) {
        return range;
    }

    @Override
    public LegendItem getLegendItem(int datasetIndex, int series) {
        return null;
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
            CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column, int pass) {
        Violin v = violins.get(column);
        RectangleEdge domainEdge = plot.getDomainAxisEdge();
        RectangleEdge rangeEdge = plot.getRangeAxisEdge();
        int count = dataset.getColumnCount();
        double centre = domainAxis.getCategoryMiddle(column, count, dataArea, domainEdge);
        double half = HALF_WIDTH * (domainAxis.getCategoryEnd(column, count, dataArea, domainEdge)
                - domainAxis.getCategoryStart(column, count, dataArea, domainEdge));
        Path2D.Double outline = new Path2D.Double();
        for (int k = 0; k < v.ys().length; k++) {
            double y = rangeAxis.valueToJava2D(v.ys()[k], dataArea, rangeEdge);
            double x = centre + half * v.widths()[k];
            if (k == 0) {
                outline.moveTo(x, y);
            } else {
                outline.lineTo(x, y);
            }
        }
        for (int k = v.ys().length - 1; k >= 0; k--) {
            outline.lineTo(centre - half * v.widths()[k], rangeAxis.valueToJava2D(v.ys()[k], dataArea, rangeEdge));
        }
        outline.closePath();
        Color colour = colours.get(column);
        g2.setPaint(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 180));
        g2.fill(outline);
        g2.setPaint(colour.darker());
        g2.setStroke(new BasicStroke(1.2f));
        g2.draw(outline);

        double boxHalf = Math.max(2.5, half * 0.08);
        double top = rangeAxis.valueToJava2D(v.q3(), dataArea, rangeEdge);
        double bottom = rangeAxis.valueToJava2D(v.q1(), dataArea, rangeEdge);
        g2.setPaint(new Color(0x33, 0x33, 0x33));
        g2.fill(new Rectangle2D.Double(centre - boxHalf, Math.min(top, bottom), 2 * boxHalf, Math.abs(bottom - top)));
        double median = rangeAxis.valueToJava2D(v.median(), dataArea, rangeEdge);
        Ellipse2D dot = new Ellipse2D.Double(centre - 3.5, median - 3.5, 7, 7);
        g2.setPaint(Color.WHITE);
        g2.fill(dot);
        g2.setPaint(Color.BLACK);
        g2.setStroke(new BasicStroke(1f));
        g2.draw(dot);
    }
}
