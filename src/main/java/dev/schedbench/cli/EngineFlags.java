package dev.schedbench.cli;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.engine.EngineOptions;
import dev.schedbench.sim.engine.PreemptionMode;
import dev.schedbench.sim.profile.EngineGeneration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/**
 * {@code vllm serve}'s flags for what the simulator models, with vLLM's names and defaults, plus the
 * simulator's own engine switches. The model, seed and live speed belong to the command using them.
 */
final class EngineFlags {

    @Option(names = "--scheduling-policy", defaultValue = "fcfs", paramLabel = "POLICY",
            converter = CliConverters.PolicyConverter.class,
            description = "fcfs, priority, priority-round-robin, round-robin or priority-round-robin-reverse "
                    + "(underscores accepted). Default: ${DEFAULT-VALUE}.")
    Policy policy;

    @Option(names = "--max-num-seqs", defaultValue = "256", paramLabel = "N",
            description = "Most sequences per engine step. Default: ${DEFAULT-VALUE}.")
    int maxNumSeqs;

    @Option(names = "--max-num-batched-tokens", paramLabel = "N",
            description = "Token budget per step. Default: vLLM's choice for the model.")
    Integer maxNumBatchedTokens;

    @Option(names = "--max-model-len", paramLabel = "N",
            description = "Context length. Default: the model's (gpt2: 1024).")
    Integer maxModelLen;

    @Option(names = "--block-size", defaultValue = "16", paramLabel = "N",
            description = "KV-cache block size in tokens. Default: ${DEFAULT-VALUE}.")
    int blockSize;

    @Option(names = "--swap-space", defaultValue = "4", paramLabel = "GIB",
            description = "CPU swap space per GPU in GiB. Default: ${DEFAULT-VALUE}.")
    double swapSpaceGib;

    @Option(names = "--gpu-memory-utilization", defaultValue = "0.9", paramLabel = "FRACTION",
            description = "Fraction of GPU memory for the model and its KV cache. Default: ${DEFAULT-VALUE}.")
    double gpuMemoryUtilization;

    @Option(names = "--enable-chunked-prefill", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            converter = CliConverters.BooleanWord.class,
            description = "Chunked prefill on or off (--enable-chunked-prefill=False as vLLM takes it). "
                    + "Default: vLLM's automatic choice (on above 32K context).")
    Boolean enableChunkedPrefill;

    @Option(names = "--steps-before-preemption", defaultValue = "30", paramLabel = "N",
            description = "Round-robin policies' quantum in engine steps. Default: ${DEFAULT-VALUE}.")
    int stepsBeforePreemption;

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "Simulator profile: a built-in name or a profile JSON file. Default: picked from the model.")
    String profile;

    @Option(names = "--preemption-mode", paramLabel = "MODE",
            description = "recompute or swap, as vLLM's --preemption-mode. Default: recompute (vLLM's choice for one "
                    + "sequence per request).")
    String preemptionMode;

    @Option(names = "--scheduler", paramLabel = "VERSION",
            description = "Simulated scheduler: v0 (vLLM 0.6, the seed's) or v1 (V1-style: always chunked, no priority "
                    + "preemption for a full batch). Default: the profile's (v0).")
    String scheduler;

    ServerConfig config(String model, long seed, double speed) {
        return new ServerConfig(model, policy, maxNumSeqs, optionalCount(maxNumBatchedTokens, "--max-num-batched-tokens"),
                optionalCount(maxModelLen, "--max-model-len"), blockSize, swapSpaceGib, gpuMemoryUtilization,
                Optional.ofNullable(enableChunkedPrefill), stepsBeforePreemption, seed, Optional.ofNullable(profile),
                speed);
    }

    private static OptionalInt optionalCount(Integer value, String flag) {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value < 1) {
            throw new UserError(flag + " must be at least 1, got " + value);
        }
        return OptionalInt.of(value);
    }

    EngineOptions options() {
        EngineOptions options = EngineOptions.defaults();
        if (preemptionMode != null) {
            options = options.withPreemptionMode(switch (preemptionMode.strip().toLowerCase(Locale.ROOT)) {
                case "recompute" -> PreemptionMode.RECOMPUTE;
                case "swap" -> PreemptionMode.SWAP;
                default -> throw new UserError("--preemption-mode must be recompute or swap, got '" + preemptionMode + "'");
            });
        }
        if (scheduler != null) {
            options = options.withScheduler(switch (scheduler.strip().toLowerCase(Locale.ROOT)) {
                case "v0" -> EngineGeneration.V0;
                case "v1" -> EngineGeneration.V1;
                default -> throw new UserError("--scheduler must be v0 or v1, got '" + scheduler + "'");
            });
        }
        return options;
    }
}
