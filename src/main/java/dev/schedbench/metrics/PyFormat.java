package dev.schedbench.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers spelled as Python spells them, so that file names, result keys and console lines match what
 * vLLM's scripts print: {@code repr(float)} and {@code format(x, '.Nf')}. Locale-independent.
 */
public final class PyFormat {

    private PyFormat() {}

    /** Python's {@code repr(x)} of a float: {@code 10.0}, {@code 0.1}, {@code 1e-05}, {@code 1e+16}, {@code inf}. */
    public static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (Double.doubleToRawLongBits(x) < 0 ? "-" : "") + "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(x));
        String digits = shortest.unscaledValue().toString();
        // value = 0.digits * 10^pointPosition
        int pointPosition = digits.length() - shortest.scale();
        String body = pointPosition <= -4 || pointPosition > 16
                ? scientific(digits, pointPosition - 1)
                : positional(digits, pointPosition);
        return x < 0 ? "-" + body : body;
    }

    /** A JSON number as Python's {@code json.dump} writes a float: repr, with {@code Infinity} and {@code NaN}. */
    public static String jsonNumber(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        return repr(x);
    }

    /** Python's {@code format(x, '.Nf')}: the exact binary value rounded half-even. */
    public static String fixed(double x, int decimals) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String text = new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = Double.doubleToRawLongBits(x) < 0;
        return negative && !text.startsWith("-") ? "-" + text : text;
    }

    /** How vLLM names a percentile in keys and labels: {@code 99} for 99.0, else the float's repr. */
    public static String percentileWord(double percent) {
        return percent == Math.rint(percent) && Math.abs(percent) < 1e15
                ? Long.toString((long) percent)
                : repr(percent);
    }

    /**
     * The shortest decimal that reads back as {@code x}, the closest one if several. Java's
     * {@link Double#toString} is that, except that it may keep two digits where one would do.
     */
    private static BigDecimal shortest(double x) {
        BigDecimal java = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        if (java.precision() != 2) {
            return java;
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal candidate = java.round(new java.math.MathContext(1, mode));
            if (candidate.signum() != 0 && Double.parseDouble(candidate.toString()) == x
                    && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best == null ? java : best.stripTrailingZeros();
    }

    private static String scientific(String digits, int exponent) {
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = exponent < 0 ? "-" : "+";
        int magnitude = Math.abs(exponent);
        return mantissa + "e" + sign + (magnitude < 10 ? "0" : "") + magnitude;
    }

    private static String positional(String digits, int pointPosition) {
        if (pointPosition <= 0) {
            return "0." + "0".repeat(-pointPosition) + digits;
        }
        if (pointPosition >= digits.length()) {
            return digits + "0".repeat(pointPosition - digits.length()) + ".0";
        }
        return digits.substring(0, pointPosition) + "." + digits.substring(pointPosition);
    }
}
