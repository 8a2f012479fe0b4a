package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The values CPython and numpy print for the seeds in {@code golden/data/random_goldens.py}. */
final class RandomGoldens {

    private RandomGoldens() {}

    static JsonNode load() {
        try (InputStream in = RandomGoldens.class.getResourceAsStream("/golden/data/random-goldens.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
