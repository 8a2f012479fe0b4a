package dev.schedbench.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed suite's real files, kept beside the repository in {@code ../shared/seed}. Tests read them
 * as they are; a checkout without them fails loudly rather than skipping.
 */
public final class SeedData {

    private SeedData() {}

    public static Path dir() {
        Path dir = Path.of("..", "shared", "seed", "data").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("seed data not found at " + dir + " (expected ../shared/seed/data beside the repository)");
        }
        return dir;
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }
}
