package dev.schedbench.cli;

import static dev.schedbench.cli.CliHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.cli.CliHarness.Outcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code schedbench serve}: the refusals, in-process. */
class ServeCommandTest {

    @Test
    void vllmEngineIsRefusedWithAPointerToTheSimulator() {
        Outcome o = run("serve", "--engine", "vllm", "--model", "gpt2");
        assertEquals(1, o.exitCode());
        assertEquals("error: --engine vllm (launching vLLM as a child process) is not available in this version; "
                + "use --engine sim for the built-in simulator, or start vLLM yourself and benchmark it by URL\n",
                o.err());
    }

    @Test
    void unknownPolicyIsBadUsage() {
        Outcome o = run("serve", "--scheduling-policy", "lifo");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("unknown scheduling policy 'lifo'; expected one of fcfs, priority, "
                + "priority-round-robin, round-robin, priority-round-robin-reverse"), o.err());
    }

    @Test
    void chunkedPrefillTakesPythonBooleans() {
        Outcome o = run("serve", "--enable-chunked-prefill=maybe");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("expected True or False, got 'maybe'"), o.err());
    }

    @Test
    void badNumbersAreOneClearError() {
        Outcome o = run("serve", "--max-num-seqs", "0");
        assertEquals(1, o.exitCode());
        assertEquals("error: --max-num-seqs must be at least 1, got 0\n", o.err());
        Outcome port = run("serve", "--port", "70000");
        assertEquals(1, port.exitCode());
        assertEquals("error: --port must be between 0 and 65535, got 70000\n", port.err());
    }

    @Test
    void takesSimRunsEngineSwitches() {
        Outcome mode = run("serve", "--preemption-mode", "drop", "--port", "0");
        assertEquals(1, mode.exitCode());
        assertEquals("error: --preemption-mode must be recompute or swap, got 'drop'\n", mode.err());
        Outcome scheduler = run("serve", "--scheduler", "v2", "--port", "0");
        assertEquals(1, scheduler.exitCode());
        assertEquals("error: --scheduler must be v0 or v1, got 'v2'\n", scheduler.err());
        Outcome length = run("serve", "--max-model-len", "0", "--port", "0");
        assertEquals(1, length.exitCode());
        assertEquals("error: --max-model-len must be at least 1, got 0\n", length.err());
    }

    @Test
    void aTakenPortIsOneClearErrorAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = run("serve", "--engine", "sim", "--model", "gpt2", "--port",
                    String.valueOf(taken.getLocalPort()));
            assertEquals(1, o.exitCode());
            assertEquals("error: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; choose another "
                    + "with --port, or stop the program that holds it\n", o.err());
        }
    }

    @Test
    void unknownModelWithoutProfileIsOneClearError() {
        Outcome o = run("serve", "--model", "no-such-model", "--port", "0");
        assertEquals(1, o.exitCode());
        assertTrue(o.err().startsWith("error: ") && o.err().contains("no-such-model") && !o.err().contains("\tat "),
                o.err());
    }

    /** The real thing: a child JVM serving until SIGTERM, with the seed's vllm serve flags. */
    @Test
    void servesUntilSigtermThenStopsCleanly() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.schedbench.Main", "serve", "gpt2", "--engine", "sim",
                "--scheduling-policy", "priority_round_robin", "--port", "0", "--swap-space", "16",
                "--disable-log-requests", "--enable-chunked-prefill=False", "--steps-before-preemption", "10")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String next; (next = err.readLine()) != null; ) {
                        lines.add(next);
                    }
                } catch (java.io.IOException e) {
                    lines.add("read failed: " + e);
                }
            });
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertTrue(line != null && line.startsWith("INFO: simulator serving gpt2 with scheduling policy "
                    + "priority_round_robin at http://127.0.0.1:"), String.valueOf(line));
            URI base = URI.create(line.replaceAll(".* at (http://\\S+) .*", "$1"));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> completion = http.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt2\",\"prompt\":\"Hi\",\"max_tokens\":3,\"priority\":12}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, completion.statusCode(), completion.body());

            // SIGTERM; Process.destroy() would also close our end of its stderr
            assertTrue(process.toHandle().destroy());
            // generous bounds: a child JVM's shutdown and the last lines of its stderr can lag on a loaded machine
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
            assertTrue(reader.join(Duration.ofSeconds(30)), "its stderr ends once it has exited");
            assertEquals(List.of("INFO: shutting down", "INFO: stopped"), List.copyOf(lines));
            assertEquals(143, process.exitValue(), "exit status of a JVM ended by SIGTERM");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void helpNamesVllmsFlags() {
        Outcome o = run("serve", "--help");
        assertEquals(0, o.exitCode());
        for (String flag : new String[] {"--scheduling-policy", "--max-num-seqs", "--max-num-batched-tokens",
            "--max-model-len", "--block-size", "--swap-space", "--gpu-memory-utilization", "--enable-chunked-prefill",
            "--steps-before-preemption", "--seed", "--profile", "--speed", "--served-model-name",
            "--disable-log-requests", "--host", "--port", "--engine"}) {
            assertTrue(o.out().contains(flag), flag);
        }
    }
}
