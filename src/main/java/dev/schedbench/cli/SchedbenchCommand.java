package dev.schedbench.cli;

import dev.schedbench.model.UserError;
import dev.schedbench.model.Version;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of the command line; see CLI.md in the docs for the contract every subcommand keeps. */
@Command(
        name = "schedbench",
        mixinStandardHelpOptions = true,
        versionProvider = SchedbenchCommand.VersionProvider.class,
        description = "Compare LLM-serving scheduling policies on vLLM or on the built-in simulator.%n"
                + "With no arguments the desktop app opens.",
        subcommands = {CommandLine.HelpCommand.class, BenchCommand.class, ServeCommand.class, SimCommand.class,
            DownloadQueriesCommand.class, CreateDatasetCommand.class, DatasetCommand.class, RunsCommand.class})
public final class SchedbenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 failed run, 2 bad usage. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        return newCommandLine(CommandLine.defaultFactory());
    }

    /** A command line whose subcommands come from {@code factory} (tests use it to give commands their own environment). */
    public static CommandLine newCommandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new SchedbenchCommand(), factory);
        cl.setExecutionExceptionHandler(SchedbenchCommand::handleFailure);
        cl.setParameterExceptionHandler(SchedbenchCommand::handleBadUsage);
        return cl;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof UserError) {
            err.println("error: " + e.getMessage());
        } else if (e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static int handleBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + e.getMessage());
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return 2;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return Version.current().lines();
        }
    }
}
