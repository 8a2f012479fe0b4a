package dev.schedbench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process, capturing what it prints, in this process's or a chosen environment. */
final class CliHarness {

    record Outcome(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CliHarness() {}

    /** Runs {@code schedbench ARGS} as the program would, in this process's environment. */
    static Outcome run(String... args) {
        return capture(SchedbenchCommand.newCommandLine(), args);
    }

    /** Runs {@code schedbench ARGS} with {@code env} as the environment and {@code home} as the home folder. */
    static Outcome run(Map<String, String> env, Path home, String... args) {
        HostEnvironment environment = new HostEnvironment(env, home);
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == DownloadQueriesCommand.class) {
                    return cls.cast(new DownloadQueriesCommand(environment));
                }
                if (cls == CreateDatasetCommand.class) {
                    return cls.cast(new CreateDatasetCommand(environment));
                }
                return defaults.create(cls);
            }
        };
        return capture(SchedbenchCommand.newCommandLine(factory), args);
    }

    private static Outcome capture(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
