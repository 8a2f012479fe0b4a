package dev.schedbench.cli;

import dev.schedbench.model.Policy;
import dev.schedbench.store.Database;
import dev.schedbench.store.RunFilter;
import dev.schedbench.store.RunListing;
import dev.schedbench.store.RunStatus;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code schedbench runs …}: the run database from the command line. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Browse, compare, export, import, tag and delete the runs in the run database.",
        subcommands = {
            RunsCommand.ListRuns.class,
            RunsShowCommand.class,
            RunsCompareCommand.class,
            RunsExportCommand.class,
            RunsImportCommand.class,
            RunsCommand.Delete.class,
            RunsCommand.Tag.class,
            RunsCommand.AddNote.class,
            RunsPerfCommand.class
        })
public final class RunsCommand implements Runnable {

    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class StatusConverter implements CommandLine.ITypeConverter<RunStatus> {
        @Override
        public RunStatus convert(String value) {
            try {
                return RunStatus.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List runs, oldest first: id, status, kind, engine, model, policy, start (local time).")
    static final class ListRuns implements Callable<Integer> {

        @Mixin
        WorkspaceOption workspace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--status", paramLabel = "STATUS", converter = StatusConverter.class,
                description = "Only runs with this status: running, finished, failed, interrupted.")
        RunStatus status;

        @Option(names = "--kind", paramLabel = "KIND", description = "Only runs of this kind (serve, sim, latency, throughput).")
        String kind;

        @Option(names = "--engine", paramLabel = "ENGINE", description = "Only runs on this engine (sim, vllm, remote).")
        String engine;

        @Option(names = "--model", paramLabel = "MODEL", description = "Only runs of this model.")
        String model;

        @Option(names = "--policy", paramLabel = "POLICY", converter = CliConverters.PolicyConverter.class,
                description = "Only runs with this scheduling policy.")
        Policy policy;

        @Option(names = "--tag", paramLabel = "TAG", description = "Only runs with this tag.")
        String tag;

        @Option(names = "--last", paramLabel = "N", description = "Only the N most recent of the matching runs.")
        Integer last;

        @Override
        public Integer call() {
            RunFilter filter = RunFilter.all();
            if (status != null) {
                filter = filter.withStatus(status);
            }
            if (kind != null) {
                filter = filter.withKind(kind);
            }
            if (engine != null) {
                filter = filter.withEngine(engine);
            }
            if (model != null) {
                filter = filter.withModel(model);
            }
            if (policy != null) {
                filter = filter.withPolicy(policy);
            }
            if (tag != null) {
                filter = filter.withTag(tag);
            }
            List<RunListing> runs;
            try (Database db = Database.open(workspace.workspace())) {
                runs = db.runs().list(filter);
            }
            if (last != null && last >= 0 && runs.size() > last) {
                runs = runs.subList(runs.size() - last, runs.size());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (runs.isEmpty()) {
                spec.commandLine().getErr().println("no runs match");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "STATUS", "KIND", "ENGINE", "MODEL", "POLICY", "STARTED"));
            for (RunListing r : runs) {
                rows.add(List.of(Long.toString(r.id()), r.status().label(), r.kind() + (r.imported() ? "*" : ""),
                        r.engine(), r.model(), r.policyLabel(), LOCAL_TIME.format(r.startedAt())));
            }
            TextTable.print(out, rows);
            if (runs.stream().anyMatch(RunListing::imported)) {
                out.println("* imported from a file");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete runs with their requests, samples, tags and notes.")
    static final class Delete implements Callable<Integer> {

        @Mixin
        WorkspaceOption workspace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Runs to delete.")
        List<Long> ids;

        @Override
        public Integer call() {
            int missing = 0;
            try (Database db = Database.open(workspace.workspace())) {
                for (long id : ids) {
                    if (db.runs().delete(id)) {
                        spec.commandLine().getOut().println("deleted run " + id);
                    } else {
                        spec.commandLine().getErr().println("error: no run with id " + id + " in " + db.file());
                        missing++;
                    }
                }
            }
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
            return missing == 0 ? 0 : 1;
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag a run, or remove a tag with --remove.")
    static final class Tag implements Callable<Integer> {

        @Mixin
        WorkspaceOption workspace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The run.")
        long id;

        @Parameters(index = "1", paramLabel = "TAG", description = "The tag, e.g. baseline.")
        String tag;

        @Option(names = "--remove", description = "Remove the tag instead of adding it.")
        boolean remove;

        @Override
        public Integer call() {
            try (Database db = Database.open(workspace.workspace())) {
                if (remove) {
                    boolean had = db.runs().untag(id, tag);
                    spec.commandLine().getOut().println(had ? "run " + id + ": removed tag " + tag
                            : "run " + id + " had no tag " + tag);
                } else {
                    db.runs().tag(id, tag);
                    spec.commandLine().getOut().println("run " + id + ": tagged " + tag.strip());
                }
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add a note to a run.")
    static final class AddNote implements Callable<Integer> {

        @Mixin
        WorkspaceOption workspace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The run.")
        long id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The note's text.")
        List<String> words;

        @Override
        public Integer call() {
            try (Database db = Database.open(workspace.workspace())) {
                db.runs().addNote(id, String.join(" ", words));
            }
            spec.commandLine().getOut().println("run " + id + ": note added");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
