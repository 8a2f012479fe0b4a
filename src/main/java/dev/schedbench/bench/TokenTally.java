package dev.schedbench.bench;

/** Counts streamed tokens as they arrive, for the live view; shared by all requests of a run, so thread-safe. */
@FunctionalInterface
public interface TokenTally {

    void add(int tokens);

    TokenTally NONE = tokens -> { };
}
