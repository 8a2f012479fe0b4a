package dev.schedbench.store;

import dev.schedbench.model.Policy;
import java.time.Instant;
import java.util.Optional;

/** One line of the runs table: what a list shows, without documents or requests. */
public record RunListing(
        long id,
        String kind,
        RunStatus status,
        String engine,
        String model,
        Optional<Policy> policy,
        Instant startedAt,
        Optional<Instant> finishedAt,
        int totalRequests,
        boolean imported) {

    public String policyLabel() {
        return policy.map(Policy::cliName).orElse("-");
    }
}
