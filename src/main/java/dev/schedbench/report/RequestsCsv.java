package dev.schedbench.report;

import dev.schedbench.model.RequestRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One row per request, as RFC 4180 CSV: a header row, CRLF line ends, fields quoted only when they
 * hold a comma, quote or line break. Times in milliseconds written exactly from the stored
 * nanoseconds (no locale, no float rounding); ITLs space-separated in one field.
 */
public final class RequestsCsv {

    static final List<String> COLUMNS = List.of("index", "prompt_tokens", "output_tokens", "max_tokens", "priority",
            "priority_class", "scheduled_send_ms", "actual_send_ms", "send_lag_ms", "ttft_ms", "tpot_ms", "e2el_ms",
            "itl_count", "itls_ms", "success", "error", "generated_text");

    private static final String EOL = "\r\n";

    private RequestsCsv() {}

    public static String toCsv(List<RequestRecord> requests) {
        StringWriter out = new StringWriter();
        try {
            write(requests, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(List<RequestRecord> requests, Writer out) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write(EOL);
        for (RequestRecord r : requests) {
            List<String> fields = List.of(
                    Integer.toString(r.index()),
                    Integer.toString(r.promptTokens()),
                    Integer.toString(r.outputTokens()),
                    Integer.toString(r.maxTokens()),
                    r.priority().isPresent() ? Long.toString(r.priority().getAsLong()) : "",
                    Integer.toString(r.priorityClass()),
                    millis(r.scheduledSendNanos()),
                    millis(r.actualSendNanos()),
                    millis(r.sendLagNanos()),
                    millis(r.ttftNanos()),
                    r.success() && r.outputTokens() > 1 ? tpotMillis(r) : "",
                    millis(r.e2elNanos()),
                    Integer.toString(r.itlNanos().length),
                    Arrays.stream(r.itlNanos()).mapToObj(RequestsCsv::millis).collect(Collectors.joining(" ")),
                    Boolean.toString(r.success()),
                    r.error(),
                    r.generatedText());
            out.write(fields.stream().map(RequestsCsv::quote).collect(Collectors.joining(",")));
            out.write(EOL);
        }
    }

    /** Nanoseconds as milliseconds, exact, without trailing zeros. */
    static String millis(long nanos) {
        return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString();
    }

    /** vLLM's TPOT (first token excluded), rounded to the nanosecond. */
    private static String tpotMillis(RequestRecord r) {
        BigDecimal nanos = BigDecimal.valueOf(r.e2elNanos() - r.ttftNanos())
                .divide(BigDecimal.valueOf(r.outputTokens() - 1L), 0, RoundingMode.HALF_EVEN);
        return millis(nanos.longValueExact());
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
