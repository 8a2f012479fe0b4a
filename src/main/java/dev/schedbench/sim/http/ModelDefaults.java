package dev.schedbench.sim.http;

import dev.schedbench.model.ServerConfig;
import java.util.Locale;

/** The context length vLLM derives from a model's config when {@code --max-model-len} is not given. */
final class ModelDefaults {

    private ModelDefaults() {}

    static int maxModelLen(ServerConfig config) {
        if (config.maxModelLen().isPresent()) {
            return config.maxModelLen().getAsInt();
        }
        String model = config.model().toLowerCase(Locale.ROOT);
        if (model.contains("gpt2") || model.contains("gpt-2")) {
            return 1024;
        }
        if (model.contains("llama-3.1") || model.contains("llama-3.2") || model.contains("llama-3.3")) {
            return 131_072;
        }
        if (model.contains("llama-3") || model.contains("llama3")) {
            return 8192;
        }
        if (model.contains("llama-2") || model.contains("llama2")) {
            return 4096;
        }
        return 2048;
    }
}
