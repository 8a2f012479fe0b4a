package dev.schedbench.cli;

import static dev.schedbench.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.cli.CliHarness.Outcome;
import org.junit.jupiter.api.Test;

class CliBasicsTest {

    @Test
    void versionNamesSchedbenchJavaAndJavaFx() {
        Outcome o = run("--version");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().startsWith("schedbench "), o.out());
        assertTrue(o.out().contains("Java " + Runtime.version()), o.out());
        assertTrue(o.out().contains("JavaFX 25"), o.out());
    }

    @Test
    void helpListsUsage() {
        Outcome o = run("--help");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().contains("Usage: schedbench"), o.out());
    }

    @Test
    void unknownOptionIsBadUsageWithExitTwo() {
        Outcome o = run("--no-such-flag");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("Unknown option: '--no-such-flag'"), o.err());
    }
}
