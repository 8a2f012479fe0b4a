package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Byte-exact comparison with files under {@code src/test/resources/golden/report/}. Run the tests
 * with {@code -Dgolden.update=true} to rewrite them after a deliberate format change, then review the diff.
 */
final class Golden {

    private static final Path DIR = Path.of("src", "test", "resources", "golden", "report");

    private Golden() {}

    static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String name) {
        return Path.of("src", "test", "resources", "report", name).toAbsolutePath();
    }
}
