package dev.schedbench.model;

import java.util.Optional;

/**
 * What a run is, as announced when it starts: enough for the store to file it and for a viewer to
 * label it.
 *
 * @param kind          {@code serve}, {@code sim}, {@code latency}, {@code throughput}, {@code imported} …
 * @param engine        {@code sim}, {@code vllm} or {@code remote}
 * @param model         model id
 * @param policy        the server's scheduling policy
 * @param specJson      the full specification as JSON (secrets never included)
 * @param serverCommand the command that started the server, when one was started
 * @param totalRequests how many requests the run will send
 */
public record RunInfo(
        String kind,
        String engine,
        String model,
        Policy policy,
        String specJson,
        Optional<String> serverCommand,
        int totalRequests) {}
