package dev.schedbench.model;

import java.nio.file.Path;

/**
 * The user's workspace folder: the run database, downloaded queries and built datasets live here.
 */
public record Workspace(Path root) {

    public static final String DEFAULT_DIR_NAME = ".schedbench";

    public static Workspace defaultWorkspace() {
        return new Workspace(Path.of(System.getProperty("user.home"), DEFAULT_DIR_NAME));
    }

    public Path database() {
        return root.resolve("schedbench.db");
    }

    public Path dataDir() {
        return root.resolve("data");
    }
}
