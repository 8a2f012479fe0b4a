package dev.schedbench.data;

import dev.schedbench.model.UserError;

/**
 * How the oracle dataset's outputs are generated: the seed's {@code create_dataset.py} sampling
 * ({@code n=1, top_p=1.0, ignore_eos=False}) with these values.
 *
 * @param model       model id as the engine knows it
 * @param outputLen   {@code max_tokens} per prompt (the seed's {@code --output-len})
 * @param temperature sampling temperature (0 = greedy, the default; the seed used 1.0 at first)
 */
public record OracleSettings(String model, int outputLen, double temperature) {

    public static final int DEFAULT_OUTPUT_LEN = 256;
    public static final int DEFAULT_NUM_QUERIES = 100;

    public OracleSettings {
        if (model.isBlank()) {
            throw new UserError("--model must name a model, e.g. gpt2");
        }
        if (outputLen < 1) {
            throw new UserError("--output-len must be at least 1, got " + outputLen);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new UserError("--temperature must be a finite number >= 0, got " + temperature);
        }
    }

    /** The seed's file name for a model's dataset, with {@code /} made safe: {@code meta-llama_Llama-3.2-1B_data.json}. */
    public static String fileNameFor(String model) {
        return model.replace('/', '_').replace('\\', '_') + "_data.json";
    }
}
