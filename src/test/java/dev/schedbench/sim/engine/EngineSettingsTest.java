package dev.schedbench.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.profile.EngineGeneration;
import dev.schedbench.sim.profile.Profile;
import dev.schedbench.sim.profile.Profiles;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** vLLM's start-up defaults and checks, as {@code vllm serve} applies them. */
class EngineSettingsTest {

    private static Profile profile(String name) {
        return Profiles.find(name).orElseThrow();
    }

    private static ServerConfig config(String model, OptionalInt maxBatched, OptionalInt maxModelLen,
            Optional<Boolean> chunked, int maxNumSeqs, double utilization) {
        return new ServerConfig(model, Policy.PRIORITY, maxNumSeqs, maxBatched, maxModelLen, 16, 4, utilization, chunked, 30,
                0, Optional.empty(), 1.0);
    }

    private static EngineSettings settings(String model, OptionalInt maxBatched, OptionalInt maxModelLen,
            Optional<Boolean> chunked) {
        return EngineSettings.of(config(model, maxBatched, maxModelLen, chunked, 256, 0.9), profile(model),
                EngineOptions.defaults());
    }

    @Test
    void gpt2Defaults() {
        EngineSettings s = EngineSettings.of(ServerConfig.defaults("gpt2", Policy.FCFS), profile("gpt2"),
                EngineOptions.defaults());
        assertFalse(s.chunkedPrefill());
        assertEquals(1024, s.maxModelLen());
        assertEquals(2048, s.maxNumBatchedTokens(), "max(max_model_len, 2048)");
        assertEquals(1024, s.promptLimit());
        assertEquals(256, s.maxNumSeqs());
        assertEquals(126_591, s.numGpuBlocks());
        assertEquals(1265, s.watermarkBlocks());
        assertEquals(7281, s.numCpuBlocks(), "4 GiB of 576 KiB blocks");
        assertEquals(30, s.stepsBeforePreemption());
        assertEquals(EngineGeneration.V0, s.generation());
    }

    @Test
    void longContextModelsGetChunkedPrefillAutomatically() {
        EngineSettings auto = settings("meta-llama/Llama-3.2-1B", OptionalInt.empty(), OptionalInt.empty(), Optional.empty());
        assertTrue(auto.chunkedPrefill(), "max_model_len 131072 > 32K");
        assertEquals(512, auto.maxNumBatchedTokens());
        EngineSettings off = settings("meta-llama/Llama-3.2-1B", OptionalInt.empty(), OptionalInt.empty(), Optional.of(false));
        assertFalse(off.chunkedPrefill());
        assertEquals(131_072, off.maxNumBatchedTokens());
        EngineSettings shorter = settings("meta-llama/Llama-3.2-1B", OptionalInt.empty(), OptionalInt.of(8192), Optional.empty());
        assertFalse(shorter.chunkedPrefill());
        assertEquals(8192, shorter.maxNumBatchedTokens());
    }

    @Test
    void v1AlwaysChunks() {
        EngineSettings v1 = EngineSettings.of(ServerConfig.defaults("gpt2", Policy.PRIORITY), profile("gpt2"),
                EngineOptions.defaults().withScheduler(EngineGeneration.V1));
        assertTrue(v1.chunkedPrefill());
        assertEquals(2048, v1.maxNumBatchedTokens());
    }

    @Test
    void vllmStartUpChecksFailWithItsMessages() {
        UserError tooLong = assertThrows(UserError.class,
                () -> settings("gpt2", OptionalInt.empty(), OptionalInt.of(2048), Optional.empty()));
        assertTrue(tooLong.getMessage().startsWith("User-specified max_model_len (2048) is greater than the derived "
                + "max_model_len (1024 for gpt2)."), tooLong.getMessage());
        UserError budget = assertThrows(UserError.class,
                () -> settings("gpt2", OptionalInt.of(512), OptionalInt.empty(), Optional.of(false)));
        assertTrue(budget.getMessage().startsWith("max_num_batched_tokens (512) is smaller than max_model_len (1024)."),
                budget.getMessage());
        UserError seqs = assertThrows(UserError.class, () -> EngineSettings.of(
                config("gpt2", OptionalInt.of(100), OptionalInt.of(100), Optional.empty(), 256, 0.9), profile("gpt2"),
                EngineOptions.defaults()));
        assertEquals("max_num_batched_tokens (100) must be greater than or equal to max_num_seqs (256).", seqs.getMessage());
        UserError memory = assertThrows(UserError.class, () -> EngineSettings.of(
                config("meta-llama/Meta-Llama-3-8B", OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), 256, 0.1),
                profile("meta-llama/Meta-Llama-3-8B"), EngineOptions.defaults()));
        assertTrue(memory.getMessage().startsWith("No available memory for the cache blocks."), memory.getMessage());
        UserError kv = assertThrows(UserError.class, () -> EngineSettings.of(
                config("meta-llama/Meta-Llama-3-8B", OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), 256, 0.21),
                profile("meta-llama/Meta-Llama-3-8B"), EngineOptions.defaults()));
        assertTrue(kv.getMessage().startsWith("The model's max seq len (8192) is larger than the maximum number of tokens "
                + "that can be stored in KV cache"), kv.getMessage());
    }
}
