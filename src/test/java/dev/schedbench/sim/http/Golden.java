package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files of the server's wire formats under {@code src/test/resources/golden/sim-server}. Run
 * with {@code -Dgolden.update=true} to rewrite them after a deliberate change, then review the diff.
 */
final class Golden {

    private static final Path DIR = Path.of("src/test/resources/golden/sim-server");

    private Golden() {}

    /** Replaces what differs between runs: random ids and wall-clock seconds. */
    static String normalize(String text) {
        return text.replaceAll("(cmpl|chatcmpl|modelperm)-[0-9a-f]{32}", "$1-ID")
                .replaceAll("\"created\":\\d+", "\"created\":0");
    }

    static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden file " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
