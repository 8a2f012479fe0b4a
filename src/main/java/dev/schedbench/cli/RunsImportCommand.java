package dev.schedbench.cli;

import dev.schedbench.report.RunImporter;
import dev.schedbench.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code schedbench runs import FILE…}: each file on its own; a bad one is reported and the rest still land. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import result files: vLLM serving results (benchmark_serving.py, the seed's _o files),",
            "the seed's offline latency (_l) and throughput (_tp) results, and schedbench run exports (json).",
            "Policy and model come from the file, else from its name and folders (e.g. gpt2/512/fcfs_l.json)."})
final class RunsImportCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOption workspace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result files to import.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (Database db = Database.open(workspace.workspace())) {
            for (RunImporter.Outcome outcome : RunImporter.importAll(db.runs(), files)) {
                switch (outcome) {
                    case RunImporter.Outcome.Done done -> {
                        RunImporter.Imported r = done.run();
                        out.println("imported " + r.file() + " as run " + r.runId() + " (" + r.kind() + ", "
                                + r.model() + ", " + r.policy().map(p -> p.cliName()).orElse("policy unknown") + ", "
                                + r.requests() + " requests)");
                    }
                    case RunImporter.Outcome.Rejected rejected -> {
                        err.println("error: " + rejected.message());
                        failed++;
                    }
                }
            }
        }
        if (failed > 0) {
            err.println(failed + " of " + files.size() + " files not imported");
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }
}
