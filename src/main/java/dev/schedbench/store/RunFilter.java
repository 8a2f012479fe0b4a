package dev.schedbench.store;

import dev.schedbench.model.Policy;
import java.util.Optional;

/** Which runs a list shows; every present criterion must hold. */
public record RunFilter(
        Optional<RunStatus> status,
        Optional<String> kind,
        Optional<String> engine,
        Optional<String> model,
        Optional<Policy> policy,
        Optional<String> tag) {

    public static RunFilter all() {
        return new RunFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    public RunFilter withStatus(RunStatus value) {
        return new RunFilter(Optional.of(value), kind, engine, model, policy, tag);
    }

    public RunFilter withKind(String value) {
        return new RunFilter(status, Optional.of(value), engine, model, policy, tag);
    }

    public RunFilter withEngine(String value) {
        return new RunFilter(status, kind, Optional.of(value), model, policy, tag);
    }

    public RunFilter withModel(String value) {
        return new RunFilter(status, kind, engine, Optional.of(value), policy, tag);
    }

    public RunFilter withPolicy(Policy value) {
        return new RunFilter(status, kind, engine, model, Optional.of(value), tag);
    }

    public RunFilter withTag(String value) {
        return new RunFilter(status, kind, engine, model, policy, Optional.of(value));
    }
}
