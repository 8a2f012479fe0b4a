package dev.schedbench.cli;

import dev.schedbench.data.RetryPolicy;
import dev.schedbench.model.UserError;

/** Starts the built-in simulator in-process for {@code create-dataset --engine sim}. */
final class SimOracleEngine {

    private SimOracleEngine() {}

    static CreateDatasetCommand.EngineHandle start(String model, int concurrency, RetryPolicy retry) {
        throw new UserError("the simulator engine is not part of this build yet; use --engine remote or vllm-offline");
    }
}
