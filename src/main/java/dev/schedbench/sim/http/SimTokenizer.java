package dev.schedbench.sim.http;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.schedbench.sim.profile.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts prompt tokens the way the served model's tokenizer would, and writes the simulated output.
 * GPT-2 uses its own BPE ({@code r50k_base}), so counts are exact; OPT the same BPE after its
 * {@code </s>}. Every other model uses {@code cl100k_base} after one beginning-of-text token: Llama 3's
 * tokenizer extends that vocabulary, so counts come close for Llama-family models
 * (docs/decisions/0401-simulator-tokenizer-and-text.md).
 */
public final class SimTokenizer {

    private static final String WORDS = "/dev/schedbench/sim/http/words.txt";
    private static final ConcurrentHashMap<EncodingType, Shared> SHARED = new ConcurrentHashMap<>();

    private final Encoding encoding;
    private final Optional<SpecialToken> bos;
    private final OutputVocabulary vocabulary;

    /** A beginning-of-sequence token the model's tokenizer puts in front of every prompt. */
    record SpecialToken(int id, String text) {}

    private record Shared(Encoding encoding, OutputVocabulary vocabulary) {}

    private SimTokenizer(EncodingType type, Optional<SpecialToken> bos) {
        Shared shared = SHARED.computeIfAbsent(type, t -> {
            Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(t);
            return new Shared(encoding, OutputVocabulary.build(encoding));
        });
        this.encoding = shared.encoding();
        this.vocabulary = shared.vocabulary();
        this.bos = bos;
    }

    /** The tokenizer of a simulator profile's model (its name and aliases decide the family). */
    public static SimTokenizer forProfile(Profile profile) {
        List<String> ids = new ArrayList<>(profile.aliases());
        ids.add(profile.name());
        return forModel(String.join(" ", ids));
    }

    /** The tokenizer for a model id, e.g. {@code gpt2} or {@code meta-llama/Llama-3.2-1B}. */
    public static SimTokenizer forModel(String model) {
        String id = model.toLowerCase(Locale.ROOT);
        if (id.contains("gpt2") || id.contains("gpt-2")) {
            return new SimTokenizer(EncodingType.R50K_BASE, Optional.empty());
        }
        if (id.contains("opt-")) {
            // OPT reuses GPT-2's BPE and starts every prompt with </s>
            return new SimTokenizer(EncodingType.R50K_BASE, Optional.of(new SpecialToken(2, "</s>")));
        }
        return new SimTokenizer(EncodingType.CL100K_BASE, Optional.of(new SpecialToken(128_000, "<|begin_of_text|>")));
    }

    /** Token ids of {@code text}, with the model's beginning-of-text token if {@code addSpecialTokens}. */
    public int[] encode(String text, boolean addSpecialTokens) {
        int[] ids = encoding.encodeOrdinary(text).toArray();
        if (bos.isEmpty() || !addSpecialTokens) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bos.get().id();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    /** How many tokens vLLM would count for a prompt (special tokens added, as the completions API does). */
    public int countPrompt(String text) {
        return encoding.countTokensOrdinary(text) + (bos.isPresent() ? 1 : 0);
    }

    /** The text of token ids; an id outside the vocabulary is a bad request. */
    public String decode(List<Integer> ids) {
        StringBuilder text = new StringBuilder();
        IntArrayList run = new IntArrayList();
        for (int id : ids) {
            if (bos.isPresent() && id == bos.get().id()) {
                text.append(decodeRun(run));
                run.clear();
                text.append(bos.get().text());
            } else {
                run.add(id);
            }
        }
        return text.append(decodeRun(run)).toString();
    }

    private String decodeRun(IntArrayList run) {
        if (run.isEmpty()) {
            return "";
        }
        try {
            return new String(encoding.decodeBytes(run), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            // jtokkit reports an unknown id with an unchecked exception of its own choosing
            throw ApiError.badRequest("token id out of range for this model's vocabulary: " + run.boxed());
        }
    }

    /** The words the simulated model writes. */
    OutputVocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * Common English words that are one token each with their leading space, so a client that
     * re-tokenises the generated text counts exactly {@code completion_tokens}.
     */
    static final class OutputVocabulary {

        private final String[] words;
        private final byte[][] utf8;

        private OutputVocabulary(List<String> words) {
            this.words = words.toArray(String[]::new);
            this.utf8 = new byte[this.words.length][];
            for (int i = 0; i < this.words.length; i++) {
                utf8[i] = this.words[i].getBytes(StandardCharsets.UTF_8);
            }
        }

        static OutputVocabulary build(Encoding encoding) {
            List<String> words = new ArrayList<>();
            try (InputStream in = SimTokenizer.class.getResourceAsStream(WORDS)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + WORDS);
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String word = " " + line.strip();
                    if (!line.isBlank() && !line.startsWith("#") && encoding.countTokensOrdinary(word) == 1) {
                        words.add(word);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new OutputVocabulary(words);
        }

        int size() {
            return words.length;
        }

        /** The word at output position {@code position} of a prompt whose key is {@code promptKey}. */
        int wordIndex(long promptKey, int position) {
            long mixed = mix(promptKey + 0x9E3779B97F4A7C15L * (position + 1L));
            return (int) Long.remainderUnsigned(mixed, words.length);
        }

        String word(int index) {
            return words[index];
        }

        byte[] utf8(int index) {
            return utf8[index];
        }

        /** A stable 64-bit key of a prompt: FNV-1a over its UTF-8 bytes. */
        static long promptKey(String prompt) {
            long hash = 0xcbf29ce484222325L;
            for (byte b : prompt.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x100000001b3L;
            }
            return hash;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
