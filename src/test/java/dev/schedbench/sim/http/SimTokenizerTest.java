package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.sim.profile.Profiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimTokenizerTest {

    @Test
    void familiesFollowTheProfile() {
        SimTokenizer gpt2 = SimTokenizer.forProfile(Profiles.byNameOrFile("gpt2"));
        assertArrayEquals(new int[] {15496, 995}, gpt2.encode("Hello world", true), "GPT-2 adds no special token");
        SimTokenizer opt = SimTokenizer.forProfile(Profiles.byNameOrFile("opt-125m"));
        assertArrayEquals(new int[] {2, 15496, 995}, opt.encode("Hello world", true), "OPT: </s> then GPT-2's BPE");
        SimTokenizer llama = SimTokenizer.forProfile(Profiles.byNameOrFile("llama-3-8b"));
        int[] ids = llama.encode("Hello world", true);
        assertEquals(128_000, ids[0], "Llama 3's <|begin_of_text|>");
        assertEquals(ids.length, llama.countPrompt("Hello world"));
        assertEquals("<|begin_of_text|>Hello world", llama.decode(List.of(ids[0], ids[1], ids[2])));
        assertEquals(2, llama.encode("Hello world", false).length);
    }

    @Test
    void everyOutputWordIsOneTokenSoTextRetokenisesExactly() {
        for (String model : List.of("gpt2", "llama-3-8b")) {
            SimTokenizer tokenizer = SimTokenizer.forModel(model);
            SimTokenizer.OutputVocabulary words = tokenizer.vocabulary();
            assertEquals(285, words.size(), model);
            StringBuilder text = new StringBuilder();
            long key = SimTokenizer.OutputVocabulary.promptKey("some prompt");
            for (int i = 0; i < 500; i++) {
                String word = words.word(words.wordIndex(key, i));
                assertEquals(1, tokenizer.encode(word, false).length, model + ": '" + word + "'");
                text.append(word);
            }
            assertEquals(500, tokenizer.encode(text.toString(), false).length, model);
            assertTrue(text.toString().startsWith(" "), "words carry their leading space");
        }
    }
}
