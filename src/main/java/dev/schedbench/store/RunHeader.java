package dev.schedbench.store;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RunInfo;
import dev.schedbench.model.Version;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known about a run apart from its requests and time series.
 *
 * @param kind          {@code serve}, {@code sim}, {@code latency}, {@code throughput} …
 * @param status        where the run stands
 * @param engine        {@code sim}, {@code vllm}, {@code remote}
 * @param model         model id, {@code unknown} when an imported file did not say
 * @param policy        the server's scheduling policy, empty when an imported file did not say
 * @param specJson      the run's full specification as JSON
 * @param serverCommand the command that started the server, if one was started
 * @param totalRequests how many requests the run meant to send
 * @param versions      software versions the run was recorded with
 * @param host          the machine the run was recorded on
 * @param startedAt     wall-clock start
 * @param finishedAt    wall-clock end, once the run ended
 * @param message       why it failed or was interrupted; empty otherwise
 * @param result        the result document, once the run finished
 */
public record RunHeader(
        String kind,
        RunStatus status,
        String engine,
        String model,
        Optional<Policy> policy,
        String specJson,
        Optional<String> serverCommand,
        int totalRequests,
        Version versions,
        String host,
        Instant startedAt,
        Optional<Instant> finishedAt,
        String message,
        RunResult result) {

    /** A run that has just started on this machine. */
    static RunHeader started(RunInfo info, Instant startedAt) {
        return new RunHeader(info.kind(), RunStatus.RUNNING, info.engine(), info.model(), Optional.of(info.policy()),
                info.specJson(), info.serverCommand(), info.totalRequests(), Version.current(),
                ProcessOwner.localHost(), startedAt, Optional.empty(), "", RunResult.NONE);
    }

    /** The policy's name, or {@code -} when unknown. */
    public String policyLabel() {
        return policy.map(Policy::cliName).orElse("-");
    }
}
