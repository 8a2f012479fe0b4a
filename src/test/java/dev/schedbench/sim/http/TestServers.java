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
}
