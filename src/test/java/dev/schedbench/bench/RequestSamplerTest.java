package dev.schedbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.data.Dataset;
import dev.schedbench.data.DatasetEntry;
import dev.schedbench.data.DatasetFormat;
import dev.schedbench.data.DatasetReader;
import dev.schedbench.data.TokenCounter;
import dev.schedbench.model.UserError;
import dev.schedbench.testsupport.Golden;
import dev.schedbench.testsupport.SeedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestSamplerTest {

    /** Counts words as Python's {@code len(s.split())} does: the tokenizer of the golden script. */
    static final class Words implements TokenCounter {
        @Override
        public int count(String text) {
            int words = 0;
            boolean inWord = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
                if (!space && !inWord) {
                    words++;
                }
                inWord = !space;
            }
            return words;
        }

        @Override
        public int countPrompt(String prompt) {
            return count(prompt);
        }

        @Override
        public String description() {
            return "words";
        }
    }

    @Test
    void picksTheSeedScriptsRowsInTheSeedScriptsOrder() throws IOException {
        Dataset gpt2 = DatasetReader.read(SeedData.file("gpt2_data.json"));
        JsonNode goldens = new ObjectMapper().readTree(Golden.read("bench/sample-goldens.json"));
        for (JsonNode c : goldens.get("cases")) {
            List<SampledRequest> sampled = RequestSampler.sample(gpt2, c.get("num_prompts").intValue(), c.get("seed").longValue(), new Words());
            List<Integer> expected = new ArrayList<>();
            c.get("rows").forEach(n -> expected.add(n.intValue()));
            assertEquals(expected, sampled.stream().map(SampledRequest::datasetIndex).toList(), "seed " + c.get("seed"));
            for (int i = 0; i < sampled.size(); i++) {
                SampledRequest r = sampled.get(i);
                assertEquals(i, r.index());
                assertEquals(gpt2.entries().get(r.datasetIndex()).outputTokens(), r.outputTokens());
            }
        }
    }

    @Test
    void dropsRowsOutsideTheSeedsLengthLimits() {
        List<DatasetEntry> rows = List.of(
                row(3, 100), row(4, 3), row(1025, 10), row(1000, 1049), // dropped: short prompt, short answer, long prompt, too long
                row(4, 4), row(1024, 1024), row(1000, 1048), row(10, 2038)); // kept: at every limit
        Dataset data = new Dataset(Path.of("limits.json"), DatasetFormat.PROMPTS, rows, 0);
        List<SampledRequest> kept = RequestSampler.sample(data, 100, 0, new Words());
        assertEquals(4, kept.size(), "fewer than asked: all that pass");
        assertTrue(kept.stream().allMatch(r -> r.datasetIndex() >= 4), kept.toString());
        assertTrue(kept.stream().allMatch(r -> r.promptTokens() == new Words().count(r.prompt())));
    }

    @Test
    void stopsAtTheRequestedNumber() {
        List<DatasetEntry> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(row(5, 10 + i));
        }
        Dataset data = new Dataset(Path.of("many.json"), DatasetFormat.PROMPTS, rows, 0);
        assertEquals(17, RequestSampler.sample(data, 17, 5, new Words()).size());
    }

    @Test
    void nothingLeftIsAClearError() {
        Dataset data = new Dataset(Path.of("short.json"), DatasetFormat.SEED, List.of(row(2, 100), row(5, 2), row(2000, 10)), 0);
        UserError e = assertThrows(UserError.class, () -> RequestSampler.sample(data, 10, 0, new Words()));
        assertEquals("no request left to send from dataset short.json: all 3 rows were dropped (2 with a prompt or answer"
                + " under 4 tokens, 1 with a prompt over 1024 tokens or prompt + answer over 2048); use a dataset with longer"
                + " answers and shorter prompts", e.getMessage());
    }

    private static DatasetEntry row(int promptWords, int outputTokens) {
        return new DatasetEntry("w ".repeat(promptWords).strip(), outputTokens);
    }
}
