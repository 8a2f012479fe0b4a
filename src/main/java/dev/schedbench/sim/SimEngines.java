package dev.schedbench.sim;

import dev.schedbench.model.ServerConfig;
import dev.schedbench.sim.engine.EngineOptions;
import dev.schedbench.sim.engine.EngineSettings;
import dev.schedbench.sim.profile.Profile;
import dev.schedbench.sim.profile.Profiles;
import java.util.Optional;

/** Builds simulated engines from a server configuration. */
public final class SimEngines {

    private SimEngines() {}

    /** A live engine for the configuration's model or {@code profile} option (throws UserError if none fits). */
    public static LiveEngine live(ServerConfig config) {
        return live(config, profileFor(config));
    }

    public static LiveEngine live(ServerConfig config, Profile profile) {
        return live(config, profile, EngineOptions.defaults());
    }

    /** Starts the engine's thread; close it to stop. */
    public static LiveEngine live(ServerConfig config, Profile profile, EngineOptions options) {
        return LiveSimEngine.start(config, profile, EngineSettings.of(config, profile, options));
    }

    public static VirtualEngine virtual(ServerConfig config) {
        return virtual(config, profileFor(config));
    }

    public static VirtualEngine virtual(ServerConfig config, Profile profile) {
        return virtual(config, profile, EngineOptions.defaults());
    }

    public static VirtualEngine virtual(ServerConfig config, Profile profile, EngineOptions options) {
        return new VirtualEngine(EngineSettings.of(config, profile, options), profile, config.seed(), TokenTimes.ALL,
                Optional.empty());
    }

    /** The profile a configuration selects: its {@code profile} option, else its model. */
    public static Profile profileFor(ServerConfig config) {
        return Profiles.resolve(config.model(), config.profile());
    }
}
