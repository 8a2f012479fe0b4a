package dev.schedbench.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A serving engine's configuration, with {@code vllm serve}'s flag names: the simulator models every
 * field, the vLLM launcher passes them on. Empty optionals take vLLM's defaults.
 *
 * @param model                 model id (also picks the simulator's profile unless {@code profile} is given)
 * @param policy                {@code --scheduling-policy}
 * @param maxNumSeqs            {@code --max-num-seqs}
 * @param maxNumBatchedTokens   {@code --max-num-batched-tokens}
 * @param maxModelLen           {@code --max-model-len}
 * @param blockSize             {@code --block-size}
 * @param swapSpaceGib          {@code --swap-space}
 * @param gpuMemoryUtilization  {@code --gpu-memory-utilization}
 * @param enableChunkedPrefill  {@code --enable-chunked-prefill}; empty means vLLM's automatic choice
 * @param stepsBeforePreemption {@code --steps-before-preemption} (the round-robin policies' quantum)
 * @param seed                  {@code --seed}
 * @param profile               simulator profile name or file
 * @param speed                 simulator live-mode speed factor (1 = real time)
 */
public record ServerConfig(
        String model,
        Policy policy,
        int maxNumSeqs,
        OptionalInt maxNumBatchedTokens,
        OptionalInt maxModelLen,
        int blockSize,
        double swapSpaceGib,
        double gpuMemoryUtilization,
        Optional<Boolean> enableChunkedPrefill,
        int stepsBeforePreemption,
        long seed,
        Optional<String> profile,
        double speed) {

    public static final int DEFAULT_MAX_NUM_SEQS = 256;
    public static final int DEFAULT_BLOCK_SIZE = 16;
    public static final double DEFAULT_SWAP_SPACE_GIB = 4;
    public static final double DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
    public static final int DEFAULT_STEPS_BEFORE_PREEMPTION = 30;

    public ServerConfig {
        if (maxNumSeqs < 1) {
            throw new UserError("--max-num-seqs must be at least 1, got " + maxNumSeqs);
        }
        if (blockSize < 1) {
            throw new UserError("--block-size must be at least 1, got " + blockSize);
        }
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new UserError("--gpu-memory-utilization must be in (0, 1], got " + gpuMemoryUtilization);
        }
        if (!(swapSpaceGib >= 0)) {
            throw new UserError("--swap-space must be >= 0, got " + swapSpaceGib);
        }
        if (stepsBeforePreemption < 1) {
            throw new UserError("--steps-before-preemption must be at least 1, got " + stepsBeforePreemption);
        }
        if (!(speed > 0)) {
            throw new UserError("--speed must be > 0, got " + speed);
        }
    }

    /** vLLM's defaults for a model and policy. */
    public static ServerConfig defaults(String model, Policy policy) {
        return new ServerConfig(model, policy, DEFAULT_MAX_NUM_SEQS, OptionalInt.empty(), OptionalInt.empty(),
                DEFAULT_BLOCK_SIZE, DEFAULT_SWAP_SPACE_GIB, DEFAULT_GPU_MEMORY_UTILIZATION, Optional.empty(),
                DEFAULT_STEPS_BEFORE_PREEMPTION, 0, Optional.empty(), 1.0);
    }
}
