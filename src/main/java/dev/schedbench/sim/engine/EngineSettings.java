package dev.schedbench.sim.engine;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.profile.EngineGeneration;
import dev.schedbench.sim.profile.IterationCosts;
import dev.schedbench.sim.profile.Profile;

/**
 * A server configuration resolved against a profile: every number the scheduler uses, with vLLM's
 * defaults filled in and vLLM's start-up checks applied.
 *
 * @param policy                the scheduling policy
 * @param generation            V0 or V1-style scheduler
 * @param chunkedPrefill        whether steps mix decodes with prefill chunks
 * @param maxNumSeqs            sequences per step
 * @param maxNumBatchedTokens   tokens per step
 * @param maxModelLen           context length
 * @param blockSize             tokens per KV block
 * @param numGpuBlocks          GPU KV blocks
 * @param numCpuBlocks          CPU swap blocks
 * @param watermarkBlocks       blocks admission leaves free ({@code int(0.01·numGpuBlocks)})
 * @param preemptionMode        recompute or swap
 * @param stepsBeforePreemption the round-robin policies' quantum
 * @param costs                 iteration-time constants
 * @param blockBytes            bytes of one KV block (swap traffic)
 */
public record EngineSettings(
        Policy policy,
        EngineGeneration generation,
        boolean chunkedPrefill,
        int maxNumSeqs,
        int maxNumBatchedTokens,
        int maxModelLen,
        int blockSize,
        int numGpuBlocks,
        int numCpuBlocks,
        int watermarkBlocks,
        PreemptionMode preemptionMode,
        int stepsBeforePreemption,
        IterationCosts costs,
        long blockBytes) {

    /** vLLM 0.6's {@code BlockSpaceManager} watermark. */
    public static final double WATERMARK = 0.01;
    static final int CHUNKED_LONG_CONTEXT = 32 * 1024;
    static final int V0_CHUNKED_DEFAULT_BATCHED_TOKENS = 512;
    static final int V1_DEFAULT_BATCHED_TOKENS = 2048;

    public EngineSettings {
        if (maxNumSeqs < 1 || maxNumBatchedTokens < 1 || maxModelLen < 1 || blockSize < 1 || numGpuBlocks < 1
                || numCpuBlocks < 0 || watermarkBlocks < 0 || stepsBeforePreemption < 1) {
            throw new IllegalArgumentException("engine settings out of range: " + maxNumSeqs + " seqs, "
                    + maxNumBatchedTokens + " tokens, len " + maxModelLen + ", block " + blockSize + ", "
                    + numGpuBlocks + " GPU blocks, " + numCpuBlocks + " CPU blocks");
        }
    }

    /** Resolves flags against a profile the way {@code vllm serve} does at start-up. */
    public static EngineSettings of(ServerConfig config, Profile profile, EngineOptions options) {
        EngineGeneration generation = options.scheduler().orElse(profile.scheduler());
        int maxModelLen = config.maxModelLen().orElse(profile.maxModelLen());
        if (maxModelLen < 1) {
            throw new UserError("--max-model-len must be at least 1, got " + maxModelLen);
        }
        if (maxModelLen > profile.maxModelLen()) {
            throw new UserError("User-specified max_model_len (" + maxModelLen + ") is greater than the derived "
                    + "max_model_len (" + profile.maxModelLen() + " for " + profile.name() + "). Lower --max-model-len to at most "
                    + profile.maxModelLen() + ".");
        }
        boolean chunked = switch (generation) {
            case V0 -> config.enableChunkedPrefill().orElse(maxModelLen > CHUNKED_LONG_CONTEXT);
            case V1 -> true;
        };
        int defaultTokens = switch (generation) {
            case V0 -> chunked ? V0_CHUNKED_DEFAULT_BATCHED_TOKENS : Math.max(maxModelLen, 2048);
            case V1 -> V1_DEFAULT_BATCHED_TOKENS;
        };
        int maxBatched = config.maxNumBatchedTokens().orElse(defaultTokens);
        if (maxBatched < 1) {
            throw new UserError("--max-num-batched-tokens must be at least 1, got " + maxBatched);
        }
        if (!chunked && maxBatched < maxModelLen) {
            throw new UserError("max_num_batched_tokens (" + maxBatched + ") is smaller than max_model_len ("
                    + maxModelLen + "). This effectively limits the maximum sequence length to max_num_batched_tokens "
                    + "and makes vLLM reject longer sequences. Please increase max_num_batched_tokens or decrease "
                    + "max_model_len.");
        }
        if (maxBatched < config.maxNumSeqs()) {
            throw new UserError("max_num_batched_tokens (" + maxBatched + ") must be greater than or equal to "
                    + "max_num_seqs (" + config.maxNumSeqs() + ").");
        }
        int gpuBlocks = profile.memory().gpuBlocks(config.blockSize(), config.gpuMemoryUtilization());
        if (gpuBlocks <= 0) {
            throw new UserError("No available memory for the cache blocks. Try increasing `gpu_memory_utilization` "
                    + "(--gpu-memory-utilization " + config.gpuMemoryUtilization() + " leaves nothing for the KV cache of "
                    + profile.name() + ").");
        }
        long kvCapacity = (long) gpuBlocks * config.blockSize();
        if (maxModelLen > kvCapacity) {
            throw new UserError("The model's max seq len (" + maxModelLen + ") is larger than the maximum number of "
                    + "tokens that can be stored in KV cache (" + kvCapacity + "). Try increasing "
                    + "`gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.");
        }
        int cpuBlocks = profile.memory().cpuBlocks(config.blockSize(), config.swapSpaceGib());
        return new EngineSettings(config.policy(), generation, chunked, config.maxNumSeqs(), maxBatched, maxModelLen,
                config.blockSize(), gpuBlocks, cpuBlocks, (int) (WATERMARK * gpuBlocks), options.preemptionMode(),
                config.stepsBeforePreemption(), profile.costs(), profile.memory().blockBytes(config.blockSize()));
    }

    /** The longest prompt the scheduler admits ({@code _get_prompt_limit}); longer ones are ignored. */
    public int promptLimit() {
        return chunkedPrefill ? maxModelLen : Math.min(maxModelLen, maxNumBatchedTokens);
    }

    /** Whether preemption swaps KV blocks out (V0 with --preemption-mode swap); otherwise it recomputes. */
    public boolean preemptsBySwap() {
        return preemptionMode == PreemptionMode.SWAP && generation == EngineGeneration.V0;
    }

    /** Blocks holding {@code tokens} tokens. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    public EngineSettings withPolicy(Policy newPolicy) {
        return new EngineSettings(newPolicy, generation, chunkedPrefill, maxNumSeqs, maxNumBatchedTokens, maxModelLen,
                blockSize, numGpuBlocks, numCpuBlocks, watermarkBlocks, preemptionMode, stepsBeforePreemption, costs,
                blockBytes);
    }
}
