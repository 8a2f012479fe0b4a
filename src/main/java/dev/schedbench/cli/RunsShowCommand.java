package dev.schedbench.cli;

import dev.schedbench.report.RunDescription;
import dev.schedbench.store.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code schedbench runs show ID}: a run's description, spec and result summary. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run: what it was, its spec and its summary.")
final class RunsShowCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOption workspace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The run.")
    long id;

    @Override
    public Integer call() {
        try (Database db = Database.open(workspace.workspace())) {
            spec.commandLine().getOut().print(RunDescription.text(db.runs(), id));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
