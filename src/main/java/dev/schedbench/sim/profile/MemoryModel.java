package dev.schedbench.sim.profile;

import java.util.OptionalInt;

/**
 * How many KV blocks a GPU holds: vLLM's
 * {@code num_gpu_blocks = (utilization·GPU memory − weights − peak activations) / (block_size·KV bytes per token)}.
 *
 * @param gpuMemoryGib     total device memory as torch reports it
 * @param weightsGib       model weights
 * @param activationGib    peak activation memory found by vLLM's profiling run
 * @param kvBytesPerToken  {@code 2·layers·kv_heads·head_dim·dtype_bytes}
 * @param numGpuBlocks     a fixed block count overriding the computation (vLLM's {@code --num-gpu-blocks-override})
 */
public record MemoryModel(
        double gpuMemoryGib, double weightsGib, double activationGib, long kvBytesPerToken, OptionalInt numGpuBlocks) {

    private static final double GIB = 1024.0 * 1024 * 1024;

    public MemoryModel {
        if (!(gpuMemoryGib > 0) || !(weightsGib >= 0) || !(activationGib >= 0)) {
            throw new IllegalArgumentException("memory sizes must be >= 0 (gpu_memory_gib > 0)");
        }
        if (kvBytesPerToken < 1) {
            throw new IllegalArgumentException("kv_bytes_per_token must be at least 1, got " + kvBytesPerToken);
        }
        if (numGpuBlocks.isPresent() && numGpuBlocks.getAsInt() < 1) {
            throw new IllegalArgumentException("num_gpu_blocks must be at least 1, got " + numGpuBlocks.getAsInt());
        }
    }

    public long blockBytes(int blockSize) {
        return kvBytesPerToken * blockSize;
    }

    /** GPU KV blocks at this block size and memory utilization; may be 0 or negative when nothing is left. */
    public int gpuBlocks(int blockSize, double gpuMemoryUtilization) {
        if (numGpuBlocks.isPresent()) {
            return numGpuBlocks.getAsInt();
        }
        double free = gpuMemoryUtilization * gpuMemoryGib - weightsGib - activationGib;
        return (int) Math.floor(free * GIB / blockBytes(blockSize));
    }

    /** CPU swap blocks for {@code --swap-space} GiB. */
    public int cpuBlocks(int blockSize, double swapSpaceGib) {
        return (int) Math.floor(swapSpaceGib * GIB / blockBytes(blockSize));
    }
}
