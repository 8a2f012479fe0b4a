package dev.schedbench.cli;

import dev.schedbench.model.Workspace;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --workspace} flag, mixed into every command that touches the database or default files. */
public final class WorkspaceOption {

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Workspace folder for the run database and default files (default: ~/.schedbench).")
    Path workspace;

    public Workspace workspace() {
        return Optional.ofNullable(workspace).map(Workspace::new).orElseGet(Workspace::defaultWorkspace);
    }
}
