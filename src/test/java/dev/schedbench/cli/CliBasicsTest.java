package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliBasicsTest {

    record Outcome(int exitCode, String out, String err) {}

    static Outcome execute(String... args) {
        CommandLine cl = SchedbenchCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void versionNamesSchedbenchJavaAndJavaFx() {
        Outcome o = execute("--version");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().startsWith("schedbench "), o.out());
        assertTrue(o.out().contains("Java " + Runtime.version()), o.out());
        assertTrue(o.out().contains("JavaFX 25"), o.out());
    }

    @Test
    void helpListsUsage() {
        Outcome o = execute("--help");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().contains("Usage: schedbench"), o.out());
    }

    @Test
    void unknownOptionIsBadUsageWithExitTwo() {
        Outcome o = execute("--no-such-flag");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("Unknown option: '--no-such-flag'"), o.err());
    }
}
