package dev.schedbench.data;

/** The dataset layouts {@link DatasetReader} recognises. */
public enum DatasetFormat {
    /** The seed's {@code {model}_data.json}: a JSON array of {@code {input, output_len, output_tokens}}. */
    SEED("seed {model}_data.json"),
    /** ShareGPT: a JSON array of {@code {conversations: [{from, value}, ...]}}; the second turn is the answer. */
    SHAREGPT("ShareGPT"),
    /** One JSON object {@code {prompt, output_tokens}} per line (or a JSON array of such objects). */
    PROMPTS("prompt/output_tokens objects");

    private final String description;

    DatasetFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
