package dev.schedbench.model;

import java.util.List;

/** Receives {@link RunEvent}s. Implementations must be quick and thread-safe: producers call from worker threads. */
@FunctionalInterface
public interface RunListener {

    void on(RunEvent event);

    RunListener NONE = event -> { };

    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return event -> copy.forEach(l -> l.on(event));
    }
}
