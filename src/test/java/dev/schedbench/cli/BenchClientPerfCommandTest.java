package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end against its fake server in a real child process; what it measures is not asserted. */
class BenchClientPerfCommandTest {

    @Test
    void quickRunReportsEveryPartWithNoFailedRequest() {
        CliHarness.Outcome o = CliHarness.run("bench", "client-perf", "--quick");
        assertEquals(0, o.exitCode(), o.err());
        String out = o.out();
        assertTrue(out.contains("HTTP client nio"), out);
        assertTrue(out.contains("(a) Client CPU per streamed token"), out);
        Matcher a = Pattern.compile("client CPU per token: [0-9.]+ us {3}output tokens/s: [0-9]+ {3}failed: 0").matcher(out);
        assertTrue(a.find(), out);
        assertTrue(Pattern.compile("(?m)^ +50\\.0/s +[0-9.]+/s +[0-9.]+/s").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +100 +[0-9.]+ ms .* 0$").matcher(out).find(), out);
    }
}
