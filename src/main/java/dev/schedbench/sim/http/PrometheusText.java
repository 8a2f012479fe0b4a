package dev.schedbench.sim.http;

import java.math.BigDecimal;
import java.util.SequencedMap;

/**
 * Writes the Prometheus text exposition format (version 0.0.4) exactly as Python's
 * {@code prometheus_client.generate_latest} does, which is what vLLM serves: {@code # HELP} and
 * {@code # TYPE} per family, labels sorted by name, numbers in Python's float notation ({@code 0.0},
 * {@code 1e-05}, {@code +Inf}, Go-style exponents above a million).
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    PrometheusText family(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} must already be in name order. */
    PrometheusText sample(String name, SequencedMap<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (var label : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escapeLabel(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(goFloat(value)).append('\n');
        return this;
    }

    String text() {
        return out.toString();
    }

    /** {@code prometheus_client.utils.floatToGoString}. */
    static String goFloat(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        if (Double.isNaN(value)) {
            return "NaN";
        }
        String repr = pythonRepr(value);
        int dot = repr.indexOf('.');
        if (value > 0 && dot > 6) {
            String mantissa = stripTrailing(repr.charAt(0) + "." + repr.substring(1, dot) + repr.substring(dot + 1));
            return mantissa + "e+0" + (dot - 1);
        }
        return repr;
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String pythonRepr(double value) {
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        String sign = value < 0 ? "-" : "";
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int scale = exact.scale();
        int exponent = digits.length() - 1 - scale;
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        if (scale <= 0) {
            return sign + digits + "0".repeat(-scale) + ".0";
        }
        if (digits.length() > scale) {
            int point = digits.length() - scale;
            return sign + digits.substring(0, point) + "." + digits.substring(point);
        }
        return sign + "0." + "0".repeat(scale - digits.length()) + digits;
    }

    private static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '0' || text.charAt(end - 1) == '.')) {
            end--;
        }
        return text.substring(0, end);
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
    }
}
