package dev.schedbench.sim.http;

import dev.schedbench.model.Policy;
import java.util.List;

/**
 * What the server says about the model it serves: the names a request may use (vLLM's
 * {@code --served-model-name}, the first is the one it reports), the context length, the tokenizer
 * and whether the scheduler honours {@code priority}.
 */
record ServedModel(List<String> names, int maxModelLen, SimTokenizer tokenizer, Policy policy) {

    ServedModel {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a served model needs at least one name");
        }
    }

    String name() {
        return names.getFirst();
    }

    /** vLLM's model check: a request naming another model gets a 404; no name means the served one. */
    void check(String requested) {
        if (!names.contains(requested)) {
            throw ApiError.unknownModel(requested);
        }
    }
}
