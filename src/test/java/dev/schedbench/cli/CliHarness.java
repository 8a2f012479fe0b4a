package dev.schedbench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process with an environment of the test's choosing. */
final class CliHarness {

    record Outcome(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CliHarness() {}

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
        CommandLine cl = SchedbenchCommand.newCommandLine(factory);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
