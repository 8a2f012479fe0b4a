package dev.schedbench.sim.http;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import java.util.List;

/** Starts simulator servers on loopback, port 0, for the tests. */
final class TestServers {

    private TestServers() {}

    static SimServer start(ServerConfig config) {
        return SimServer.start(config, "127.0.0.1", 0, List.of());
    }

    static SimServer gpt2(Policy policy) {
        return start(ServerConfig.defaults("gpt2", policy));
    }

    /**
     * gpt2 at a twentieth of its pace, 30 ms a decode step: a 1000-token answer lasts half a minute, so
     * it is surely still streaming when the test acts on it however long a loaded machine keeps the
     * test's thread waiting. (At full pace it is over in about 1.5 s.)
     */
    static SimServer slowGpt2(Policy policy) {
        ServerConfig d = ServerConfig.defaults("gpt2", policy);
        return start(new ServerConfig(d.model(), d.policy(), d.maxNumSeqs(), d.maxNumBatchedTokens(), d.maxModelLen(),
                d.blockSize(), d.swapSpaceGib(), d.gpuMemoryUtilization(), d.enableChunkedPrefill(),
                d.stepsBeforePreemption(), d.seed(), d.profile(), 0.05));
    }
}
