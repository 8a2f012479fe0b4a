package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code schedbench serve}: the refusals, in-process. */
class ServeCommandTest {

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
    void vllmEngineIsRefusedWithAPointerToTheSimulator() {
        Outcome o = execute("serve", "--engine", "vllm", "--model", "gpt2");
        assertEquals(1, o.exitCode());
        assertEquals("error: --engine vllm (launching vLLM as a child process) is not available in this version; "
                + "use --engine sim for the built-in simulator, or start vLLM yourself and benchmark it by URL\n",
                o.err());
    }

    @Test
    void unknownPolicyIsBadUsage() {
        Outcome o = execute("serve", "--scheduling-policy", "lifo");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("unknown scheduling policy 'lifo'; expected one of fcfs, priority, "
                + "priority-round-robin, round-robin, priority-round-robin-reverse"), o.err());
    }

    @Test
    void chunkedPrefillTakesPythonBooleans() {
        Outcome o = execute("serve", "--enable-chunked-prefill=maybe");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("expected True or False, got 'maybe'"), o.err());
    }

    @Test
    void badNumbersAreOneClearError() {
        Outcome o = execute("serve", "--max-num-seqs", "0");
        assertEquals(1, o.exitCode());
        assertEquals("error: --max-num-seqs must be at least 1, got 0\n", o.err());
        Outcome port = execute("serve", "--port", "70000");
        assertEquals(1, port.exitCode());
        assertEquals("error: --port must be between 0 and 65535, got 70000\n", port.err());
    }

    @Test
    void helpNamesVllmsFlags() {
        Outcome o = execute("serve", "--help");
        assertEquals(0, o.exitCode());
        for (String flag : new String[] {"--scheduling-policy", "--max-num-seqs", "--max-num-batched-tokens",
            "--max-model-len", "--block-size", "--swap-space", "--gpu-memory-utilization", "--enable-chunked-prefill",
            "--steps-before-preemption", "--seed", "--profile", "--speed", "--served-model-name",
            "--disable-log-requests", "--host", "--port", "--engine"}) {
            assertTrue(o.out().contains(flag), flag);
        }
    }
}
