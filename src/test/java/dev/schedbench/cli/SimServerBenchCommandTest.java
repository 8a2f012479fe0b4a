package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator server's load benchmark at a small scale: it runs the real client in a child JVM
 * against the in-process server and reports what the target is judged on. Whether the target is met
 * depends on the machine, so only the report is checked here; the full run is a benchmark.
 */
class SimServerBenchCommandTest {

    @Test
    void aSmallRunCompletesEveryStreamAndReportsPacingBothWays() {
        CliHarness.Outcome o = CliHarness.run("sim-server-bench", "--streams", "300", "--tokens", "8",
                "--max-num-seqs", "64", "--warmup-streams", "100");
        assertTrue(o.exitCode() == 0 || o.exitCode() == 1, o.all());
        assertTrue(o.out().contains("streams 300, completed 300"), o.out());
        Matcher pacing = Pattern.compile("server pacing error \\(early or late\\) over (\\d+) tokens: p50 \\d+ us, "
                + "p99 \\d+ us, p99\\.9 \\d+ us, max \\d+ us; \\d+ % early").matcher(o.out());
        assertTrue(pacing.find(), o.out());
        Matcher tokens = Pattern.compile("Total generated tokens:\\s+(\\d+)").matcher(o.out());
        assertTrue(tokens.find(), o.out());
        // a warm-up stream's last write may complete just after the reset, so the count can be a few higher
        assertTrue(Long.parseLong(pacing.group(1)) >= Long.parseLong(tokens.group(1)),
                "every streamed token's delivery was measured: " + o.out());
        Matcher handovers = Pattern.compile("engine handovers (while all streams are open|over the whole run), "
                + "(\\d+) steps: late by p50 \\d+ us, p99 \\d+ us, max \\d+ us").matcher(o.out());
        assertTrue(handovers.find(), o.out());
        assertTrue(Long.parseLong(handovers.group(2)) > 0, "the engine's handovers were measured: " + o.out());
        assertTrue(Pattern.compile("target \\(every stream completes, pacing error p99 < 2 ms (while all streams are open|"
                + "over the whole run)\\): " + (o.exitCode() == 0 ? "met" : "missed")).matcher(o.out()).find(), o.out());
    }

    @Test
    void nonsenseSizesAreRefusedWithOneLine() {
        CliHarness.Outcome o = CliHarness.run("sim-server-bench", "--streams", "0");
        assertEquals(1, o.exitCode());
        assertTrue(o.err().contains("--streams, --tokens and --max-num-seqs must be positive"), o.err());
    }
}
