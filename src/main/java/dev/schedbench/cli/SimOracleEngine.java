package dev.schedbench.cli;

import dev.schedbench.data.CompletionsOracleGenerator;
import dev.schedbench.data.OracleGenerator;
import dev.schedbench.data.RetryPolicy;
import dev.schedbench.data.Sleeper;
import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.sim.http.SimServer;
import java.util.List;
import java.util.Optional;

/**
 * Starts the built-in simulator in-process on a free loopback port for {@code create-dataset --engine
 * sim} and talks to it as to any OpenAI-compatible server. The simulator's output lengths depend only
 * on the model and the prompt, so the run goes at {@code speed} times real time without changing the
 * dataset.
 */
final class SimOracleEngine implements CreateDatasetCommand.EngineHandle {

    private final SimServer server;
    private final OracleGenerator generator;

    private SimOracleEngine(SimServer server, OracleGenerator generator) {
        this.server = server;
        this.generator = generator;
    }

    static SimOracleEngine start(String model, int concurrency, RetryPolicy retry, double speed) {
        ServerConfig d = ServerConfig.defaults(model, Policy.FCFS);
        ServerConfig config = new ServerConfig(d.model(), d.policy(), d.maxNumSeqs(), d.maxNumBatchedTokens(), d.maxModelLen(),
                d.blockSize(), d.swapSpaceGib(), d.gpuMemoryUtilization(), d.enableChunkedPrefill(), d.stepsBeforePreemption(),
                d.seed(), d.profile(), speed);
        SimServer server = SimServer.start(config, "127.0.0.1", 0, List.of());
        try {
            OracleGenerator generator = new CompletionsOracleGenerator(CompletionsOracleGenerator.newHttpClient(),
                    server.baseUrl(), Optional.empty(), concurrency, retry, Sleeper.REAL);
            return new SimOracleEngine(server, generator);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public OracleGenerator generator() {
        return generator;
    }

    @Override
    public void close() {
        server.close();
    }
}
