package dev.schedbench.cli;

import dev.schedbench.report.Comparison;
import dev.schedbench.store.Database;
import dev.schedbench.store.StoredRun;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code schedbench runs compare ID ID…}: figures side by side, with differences to the first run. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs side by side; each figure shows its difference to the first run in percent.")
final class RunsCompareCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOption workspace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "2..*", description = "Two or more runs; the first is the baseline.")
    List<Long> ids;

    @Override
    public Integer call() {
        try (Database db = Database.open(workspace.workspace())) {
            List<StoredRun> runs = ids.stream().map(db.runs()::require).toList();
            spec.commandLine().getOut().print(Comparison.of(runs, db.runs()::requestTimings).toText());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
