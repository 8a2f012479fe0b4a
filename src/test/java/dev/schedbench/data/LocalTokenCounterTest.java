package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalTokenCounterTest {

    @Test
    void gpt2CountsMatchHuggingFacesGpt2Tokenizer() {
        // len(AutoTokenizer.from_pretrained("gpt2")(text).input_ids)
        TokenCounter gpt2 = LocalTokenCounter.forModel("gpt2");
        assertEquals(11, gpt2.countPrompt("What is the difference between OpenCL and CUDA?"));
        assertEquals(7, gpt2.count("Hello world, how are you?"));
        assertEquals(gpt2.count("<|endoftext|>"), gpt2.countPrompt("<|endoftext|>"));
        assertTrue(gpt2.description().contains("r50k_base"));
        assertEquals(gpt2.description(), LocalTokenCounter.forModel("openai-community/gpt2").description());
        assertEquals(gpt2.description(), LocalTokenCounter.forModel("distilgpt2").description());
    }

    @Test
    void optAddsItsBeginningOfSequenceToken() {
        TokenCounter opt = LocalTokenCounter.forModel("facebook/opt-125m");
        assertEquals(LocalTokenCounter.gpt2().count("Hello there") + 1, opt.countPrompt("Hello there"));
        assertEquals(LocalTokenCounter.gpt2().count("Hello there"), opt.count("Hello there"));
    }

    @Test
    void otherModelsAreApproximatedWithCl100k() {
        TokenCounter llama = LocalTokenCounter.forModel("meta-llama/Llama-3.2-1B");
        assertTrue(llama.description().contains("cl100k_base + BOS (approximation"), llama.description());
        assertEquals(llama.count("Hello there") + 1, llama.countPrompt("Hello there"));
        TokenCounter other = LocalTokenCounter.forModel("Qwen/Qwen2-0.5B");
        assertEquals(other.count("Hello there"), other.countPrompt("Hello there"));
    }
}
