package dev.schedbench.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * The process environment a command reads (tokens, API keys, the home folder). Commands take it in
 * their constructor so tests can run them in-process with an environment of their own.
 *
 * @param variables environment variables
 * @param home      the user's home folder
 */
record HostEnvironment(Map<String, String> variables, Path home) {

    HostEnvironment {
        variables = Map.copyOf(variables);
    }

    static HostEnvironment current() {
        return new HostEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }
}
