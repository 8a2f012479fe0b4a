package dev.schedbench.sim.http;

import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.LiveEngine;

/** Where the server gets its engine from a configuration. */
final class LiveEngines {

    private LiveEngines() {}

    static LiveEngine start(ServerConfig config) {
        throw new UserError("the simulator's engine is not part of this build yet; model " + config.model()
                + " cannot be served");
    }
}
