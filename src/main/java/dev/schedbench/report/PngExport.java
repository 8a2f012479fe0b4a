package dev.schedbench.report;

import dev.schedbench.model.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Charts as PNG files of a requested size; needs no display (works with {@code java.awt.headless=true}). */
public final class PngExport {

    public static final int MIN_SIDE = 100;
    public static final int MAX_SIDE = 10_000;

    private PngExport() {}

    public static void write(JFreeChart chart, Path file, int width, int height) {
        checkSize(width, height);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                ChartUtils.writeChartAsPNG(out, chart, width, height);
            }
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage() + "; check that the folder is writable", e);
        }
    }

    public static byte[] bytes(JFreeChart chart, int width, int height) {
        checkSize(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new IllegalStateException("rendering a chart to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void checkSize(int width, int height) {
        if (width < MIN_SIDE || width > MAX_SIDE || height < MIN_SIDE || height > MAX_SIDE) {
            throw new UserError("chart size " + width + "x" + height + " is out of range; width and height must be "
                    + MIN_SIDE + " to " + MAX_SIDE + " pixels");
        }
    }
}
