package dev.schedbench.report;

import java.util.Locale;

/** Number spelling shared by text tables, HTML and chart labels: locale-free and short. */
public final class Tables {

    private Tables() {}

    /** Integers as integers; others with three decimals, or four significant digits when small. */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Math.abs(value) >= 1) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /** Relative difference of {@code value} against {@code base}, e.g. {@code +12.5%}; empty when undefined. */
    public static String relative(double value, double base) {
        if (Double.isNaN(value) || Double.isNaN(base) || base == 0 || Double.isInfinite(base) || Double.isInfinite(value)) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.1f%%", (value - base) / Math.abs(base) * 100);
    }
}
