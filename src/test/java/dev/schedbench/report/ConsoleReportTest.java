package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.schedbench.metrics.GoldenCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * vLLM's block against what Python printed (make_expected.py); the whole report against a reviewed golden
 * file. {@code -Dgolden.update=true} rewrites the latter from the current code.
 */
class ConsoleReportTest {

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "single", "failed"})
    void vllmBlockIsWhatVllmPrintsInAnyLocale(String name) {
        GoldenCases.Case c = GoldenCases.load(name);
        String golden = GoldenCases.text("console_" + name + "_vllm.txt");
        assertEquals(golden, under(Locale.ROOT, () -> ConsoleReport.vllmBlock(c.metrics(), c.config())));
        assertEquals(golden, under(Locale.GERMANY, () -> ConsoleReport.vllmBlock(c.metrics(), c.config())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "single", "failed"})
    void wholeReportMatchesItsGoldenFileInAnyLocale(String name) throws IOException {
        GoldenCases.Case c = GoldenCases.load(name);
        String report = under(Locale.ROOT, () -> ConsoleReport.format(c.metrics(), c.config()));
        String file = "console_" + name + ".txt";
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden/metrics", file), report, StandardCharsets.UTF_8);
        }
        assertEquals(GoldenCases.text(file), report);
        assertEquals(report, under(Locale.GERMANY, () -> ConsoleReport.format(c.metrics(), c.config())));
    }

    private static String under(Locale locale, Supplier<String> body) {
        Locale saved = Locale.getDefault();
        Locale.setDefault(locale);
        try {
            return body.get();
        } finally {
            Locale.setDefault(saved);
        }
    }
}
