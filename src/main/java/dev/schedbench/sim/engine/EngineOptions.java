package dev.schedbench.sim.engine;

import dev.schedbench.sim.profile.EngineGeneration;
import java.util.Optional;

/**
 * Engine switches that are not {@code vllm serve} flags of the seed's vLLM build.
 *
 * @param preemptionMode vLLM's {@code --preemption-mode}
 * @param scheduler      overrides the profile's {@code scheduler} (v0 or v1)
 */
public record EngineOptions(PreemptionMode preemptionMode, Optional<EngineGeneration> scheduler) {

    public static EngineOptions defaults() {
        return new EngineOptions(PreemptionMode.AUTO, Optional.empty());
    }

    public EngineOptions withScheduler(EngineGeneration generation) {
        return new EngineOptions(preemptionMode, Optional.of(generation));
    }

    public EngineOptions withPreemptionMode(PreemptionMode mode) {
        return new EngineOptions(mode, scheduler);
    }
}
