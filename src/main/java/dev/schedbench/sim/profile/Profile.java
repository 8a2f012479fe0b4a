package dev.schedbench.sim.profile;

import java.util.List;

/**
 * A simulated model on a simulated GPU: everything the engine needs besides the server flags.
 *
 * @param name          the model id it stands for, e.g. {@code meta-llama/Meta-Llama-3-8B}
 * @param aliases       other ids that select it
 * @param description   one line for listings
 * @param hardware      the GPU its numbers come from
 * @param scheduler     which vLLM scheduler it imitates
 * @param maxModelLen   the model's context length ({@code --max-model-len} default and upper bound)
 * @param memory        KV cache sizing
 * @param costs         iteration-time constants
 * @param outputLength  natural output lengths
 */
public record Profile(
        String name,
        List<String> aliases,
        String description,
        String hardware,
        EngineGeneration scheduler,
        int maxModelLen,
        MemoryModel memory,
        IterationCosts costs,
        OutputLengthDistribution outputLength) {

    public Profile {
        aliases = List.copyOf(aliases);
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (maxModelLen < 1) {
            throw new IllegalArgumentException("max_model_len must be at least 1, got " + maxModelLen);
        }
    }

    public Profile withMemory(MemoryModel newMemory) {
        return new Profile(name, aliases, description, hardware, scheduler, maxModelLen, newMemory, costs, outputLength);
    }

    public Profile withCosts(IterationCosts newCosts) {
        return new Profile(name, aliases, description, hardware, scheduler, maxModelLen, memory, newCosts, outputLength);
    }

    public Profile withScheduler(EngineGeneration generation) {
        return new Profile(name, aliases, description, hardware, generation, maxModelLen, memory, costs, outputLength);
    }

    public Profile withOutputLength(OutputLengthDistribution distribution) {
        return new Profile(name, aliases, description, hardware, scheduler, maxModelLen, memory, costs, distribution);
    }
}
