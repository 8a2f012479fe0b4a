package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The simulator server's load benchmark ({@code schedbench sim-server-bench}), for
 * {@code mvn -o test -Dtest=SimServerBenchmarkTest -Dtest.excludedGroups=}; see docs/benchmarks.md.
 * {@code -Dsim.bench.streams=N} changes the number of streams (default 10000).
 */
@Tag("benchmark")
class SimServerBenchmarkTest {

    @Test
    void manyOpenStreamsMeetThePacingTarget() {
        CliHarness.Outcome o = CliHarness.run("sim-server-bench", "--streams",
                String.valueOf(Integer.getInteger("sim.bench.streams", 10_000)));
        System.out.println(o.out());
        System.out.println(o.err());
        assertEquals(0, o.exitCode(), "target missed; see the report above");
    }
}
