package dev.schedbench.cli;

import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.LiveEngine;
import dev.schedbench.sim.SimEngines;
import dev.schedbench.sim.engine.EngineOptions;
import dev.schedbench.sim.http.SimServer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code schedbench serve}: runs one vLLM-compatible server until Ctrl+C or SIGTERM. Flags carry
 * {@code vllm serve}'s names so that a seed script's server line works with only the program name
 * changed.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run a vLLM-compatible OpenAI server until Ctrl+C: the built-in scheduler simulator "
                + "(--engine sim). Flags carry vllm serve's names.")
public final class ServeCommand implements Callable<Integer> {

    enum Engine {
        SIM,
        VLLM
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "Model id, as vllm serve takes it (same as --model).")
    String positionalModel;

    @Option(names = "--engine", defaultValue = "sim", paramLabel = "ENGINE", converter = EngineConverter.class,
            description = "sim (the built-in simulator) or vllm. Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Model id; also picks the simulator's timing profile. Default: gpt2.")
    String model;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only; vLLM's own "
                    + "default is 0.0.0.0).")
    String host;

    @Option(names = "--port", defaultValue = "8000", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--served-model-name", arity = "1..*", paramLabel = "NAME",
            description = "Name(s) clients use for the model; the first is reported. Default: the model id.")
    List<String> servedModelNames = new ArrayList<>();

    @Mixin
    EngineFlags engineFlags;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the simulated outputs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "FACTOR",
            description = "Simulator speed-up over real time. Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--disable-log-requests",
            description = "Accepted for vllm serve compatibility; the simulator does not log requests.")
    boolean disableLogRequests;

    @Override
    public Integer call() throws InterruptedException {
        if (engine == Engine.VLLM) {
            throw new UserError("--engine vllm (launching vLLM as a child process) is not available in this "
                    + "version; use --engine sim for the built-in simulator, or start vLLM yourself and "
                    + "benchmark it by URL");
        }
        if (port < 0 || port > 65_535) {
            throw new UserError("--port must be between 0 and 65535, got " + port);
        }
        ServerConfig config = engineFlags.config(modelId(), seed, speed);
        EngineOptions options = engineFlags.options();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        LiveEngine simulator = SimEngines.live(config, SimEngines.profileFor(config), options);
        try (SimServer server = SimServer.start(simulator, host, port, servedModelNames)) {
            Thread hook = Thread.ofPlatform().name("serve-shutdown").unstarted(() -> {
                stopRequested.countDown();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            err.printf("INFO: simulator serving %s with scheduling policy %s at %s (Ctrl+C stops it)%n",
                    server.modelName(), config.policy().vllmName(), server.baseUrl());
            err.flush();
            stopRequested.await();
            err.println("INFO: shutting down");
            err.flush();
        } finally {
            stopped.countDown();
        }
        err.println("INFO: stopped");
        err.flush();
        return 0;
    }

    private String modelId() {
        if (model != null && positionalModel != null && !model.equals(positionalModel)) {
            throw new UserError("two different models given: " + positionalModel + " and --model " + model
                    + "; give one");
        }
        return Optional.ofNullable(model).or(() -> Optional.ofNullable(positionalModel)).orElse("gpt2");
    }

    static final class EngineConverter implements CommandLine.ITypeConverter<Engine> {
        @Override
        public Engine convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "sim" -> Engine.SIM;
                case "vllm" -> Engine.VLLM;
                default -> throw new CommandLine.TypeConversionException(
                        "expected sim or vllm, got '" + value + "'");
            };
        }
    }
}
