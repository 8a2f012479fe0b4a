package dev.schedbench.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Counts tokens offline with a tiktoken byte-pair encoding (jtokkit). GPT-2 and OPT use GPT-2's BPE
 * ({@code r50k_base}), so their counts are exact; other models get {@code cl100k_base} as an
 * approximation (Llama 3's vocabulary extends it). Prompts of models whose tokenizer prepends a
 * begin-of-sequence token (OPT, Llama, Mistral) count one more, as vLLM's client does.
 */
public final class LocalTokenCounter implements TokenCounter {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Pattern GPT2 = Pattern.compile("(distil)?gpt2(-(medium|large|xl))?");

    private final Encoding encoding;
    private final int promptSpecialTokens;
    private final String description;

    private LocalTokenCounter(EncodingType type, int promptSpecialTokens, String description) {
        this.encoding = REGISTRY.getEncoding(type);
        this.promptSpecialTokens = promptSpecialTokens;
        this.description = description;
    }

    /** GPT-2's tokenizer: {@code r50k_base}, no special tokens. */
    public static LocalTokenCounter gpt2() {
        return new LocalTokenCounter(EncodingType.R50K_BASE, 0, "local r50k_base (exact for gpt2)");
    }

    /** The best local tokenizer for a Hugging Face model id (the {@code --tokenizer}, else the model). */
    public static LocalTokenCounter forModel(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        String base = id.substring(id.lastIndexOf('/') + 1);
        if (GPT2.matcher(base).matches()) {
            return gpt2();
        }
        if (base.startsWith("opt-")) {
            return new LocalTokenCounter(EncodingType.R50K_BASE, 1, "local r50k_base + BOS (exact for " + modelId + ")");
        }
        boolean bos = id.contains("llama") || id.contains("mistral");
        return new LocalTokenCounter(EncodingType.CL100K_BASE, bos ? 1 : 0,
                "local cl100k_base" + (bos ? " + BOS" : "") + " (approximation for " + modelId + ")");
    }

    @Override
    public int count(String text) {
        return encoding.countTokensOrdinary(text);
    }

    @Override
    public int countPrompt(String prompt) {
        return count(prompt) + promptSpecialTokens;
    }

    @Override
    public String description() {
        return description;
    }
}
