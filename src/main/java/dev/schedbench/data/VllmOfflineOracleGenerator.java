package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunListener;
import dev.schedbench.model.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generates oracle outputs with vLLM's offline engine, the seed's way: the bundled
 * {@code vllm_offline_runner.py} runs under the user's Python as a child process, reads the prompts
 * and settings from a JSON file and streams one JSON line per finished prompt; its other output
 * (vLLM's logs) is passed on as {@link RunEvent.Log} lines.
 */
public final class VllmOfflineOracleGenerator implements OracleGenerator {

    static final String RUNNER_RESOURCE = "/dev/schedbench/data/vllm_offline_runner.py";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT_LOG_LINES = 20;

    /**
     * @param python      the Python interpreter (a path or a command on PATH)
     * @param batchSize   prompts per {@code llm.generate} call (the seed's {@code --batch-size}, 8)
     * @param engineArgs  extra keyword arguments for {@code LLM(...)}, e.g. {@code max_model_len}
     * @param environment extra environment variables for the child
     */
    public record Options(String python, int batchSize, Map<String, Object> engineArgs, Map<String, String> environment) {
        public Options {
            if (batchSize < 1) {
                throw new UserError("--batch-size must be at least 1, got " + batchSize);
            }
            engineArgs = new LinkedHashMap<>(engineArgs);
            environment = Map.copyOf(environment);
        }
    }

    private final Options options;
    private final RunListener listener;

    public VllmOfflineOracleGenerator(Options options, RunListener listener) {
        this.options = options;
        this.listener = listener;
    }

    @Override
    public String describe() {
        return "vLLM offline engine under " + options.python();
    }

    @Override
    public void generate(List<PromptJob> jobs, OracleSettings settings, Consumer<OracleOutcome> sink) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("schedbench-vllm-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
        }
        try {
            Path script = workDir.resolve("vllm_offline_runner.py");
            try (InputStream in = VllmOfflineOracleGenerator.class.getResourceAsStream(RUNNER_RESOURCE)) {
                Files.copy(in, script);
            }
            Path spec = workDir.resolve("spec.json");
            Files.writeString(spec, specJson(jobs, settings), StandardCharsets.UTF_8);
            run(script, spec, jobs, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the vLLM runner: " + e.getMessage(), e);
        } finally {
            deleteQuietly(workDir.resolve("spec.json"));
            deleteQuietly(workDir.resolve("vllm_offline_runner.py"));
            deleteQuietly(workDir);
        }
    }

    private String specJson(List<PromptJob> jobs, OracleSettings settings) throws IOException {
        ObjectNode spec = JSON.createObjectNode()
                .put("model", settings.model())
                .put("output_len", settings.outputLen())
                .put("temperature", settings.temperature())
                .put("batch_size", options.batchSize());
        spec.set("engine_args", JSON.valueToTree(options.engineArgs()));
        ArrayNode prompts = spec.putArray("prompts");
        for (PromptJob job : jobs) {
            prompts.addArray().add(job.index()).add(job.prompt());
        }
        return JSON.writeValueAsString(spec);
    }

    private void run(Path script, Path spec, List<PromptJob> jobs, Consumer<OracleOutcome> sink) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(options.python(), "-u", script.toString(), spec.toString());
        builder.environment().putAll(options.environment());
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        builder.environment().put("PYTHONUNBUFFERED", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UserError("cannot run Python '" + options.python() + "' (" + e.getMessage()
                    + "); pass --python with the interpreter of the environment where vLLM is installed.");
        }
        Thread stopOnExit = Thread.ofPlatform().name("vllm-runner-stop").unstarted(() -> destroyTree(process));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        Deque<String> lastLines = new ArrayDeque<>();
        Thread stderrPump = Thread.ofVirtual().name("vllm-runner-stderr").start(() -> pump(process.getErrorStream(), lastLines));
        Set<Integer> wanted = new HashSet<>();
        jobs.forEach(j -> wanted.add(j.index()));
        Optional<JsonNode> error = Optional.empty();
        int exit;
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Optional<JsonNode> event = parseEvent(line);
                    if (event.isEmpty()) {
                        listener.on(new RunEvent.Log("vllm", line));
                        continue;
                    }
                    JsonNode e = event.get();
                    switch (e.path("event").asText()) {
                        case "result" -> {
                            int index = e.path("index").asInt(-1);
                            if (wanted.remove(index)) {
                                sink.accept(new OracleOutcome.Generated(index, e.path("output_len").asInt(), e.path("output_tokens").asInt()));
                            }
                        }
                        case "ready" -> listener.on(new RunEvent.Log("vllm", "vLLM " + e.path("vllm_version").asText() + " loaded the model"));
                        case "error" -> error = Optional.of(e);
                        default -> { }
                    }
                }
            }
            exit = process.waitFor();
            stderrPump.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(process);
            throw new UserError("the vLLM run was interrupted");
        } finally {
            destroyTree(process);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        if (error.isPresent()) {
            throw failure(error.get(), lastLines);
        }
        if (exit != 0) {
            throw new UserError("the vLLM runner under " + options.python() + " exited with status " + exit
                    + tail(lastLines));
        }
        if (!wanted.isEmpty()) {
            throw new UserError("the vLLM runner finished without answering " + wanted.size() + " prompts" + tail(lastLines));
        }
    }

    private UserError failure(JsonNode error, Deque<String> lastLines) {
        String type = error.path("type").asText();
        String message = error.path("message").asText();
        if ((type.equals("ModuleNotFoundError") || type.equals("ImportError")) && message.contains("vllm")) {
            return new UserError("vLLM cannot be imported by Python '" + options.python() + "' (" + type + ": " + message
                    + "). Install it into that Python (" + options.python() + " -m pip install vllm; the round-robin "
                    + "policies need the seed's vLLM fork) or pass --python with the interpreter of the environment that has it.");
        }
        return new UserError("vLLM failed under " + options.python() + ": " + type + ": " + message + tail(lastLines));
    }

    private static String tail(Deque<String> lastLines) {
        synchronized (lastLines) {
            if (lastLines.isEmpty()) {
                return ".";
            }
            return ". Its last output:\n  " + String.join("\n  ", lastLines);
        }
    }

    private void pump(InputStream stream, Deque<String> lastLines) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LOG_LINES) {
                        lastLines.removeFirst();
                    }
                }
                listener.on(new RunEvent.Log("vllm", line));
            }
        } catch (IOException closed) {
            // the process is gone
        }
    }

    private static Optional<JsonNode> parseEvent(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.path("event").isTextual() ? Optional.of(node) : Optional.empty();
        } catch (IOException notOurs) {
            return Optional.empty();
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
