package dev.schedbench.sim.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.UserError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {

    @Test
    void builtInProfilesLoad() {
        assertEquals(List.of("gpt2", "facebook/opt-125m", "meta-llama/Llama-3.2-1B", "meta-llama/Meta-Llama-3-8B"),
                Profiles.builtIn().stream().map(Profile::name).toList());
    }

    @Test
    void modelIdsAreMatchedTolerantly() {
        for (String id : List.of("gpt2", "openai-community/gpt2", "GPT2", "/models/gpt2/", "gpt2-h100")) {
            assertEquals("gpt2", Profiles.find(id).orElseThrow().name(), id);
        }
        assertEquals("meta-llama/Meta-Llama-3-8B", Profiles.find("meta-llama/Meta-Llama-3-8B-Instruct").orElseThrow().name());
        assertEquals("meta-llama/Llama-3.2-1B", Profiles.find("llama-3.2-1b").orElseThrow().name());
        assertEquals("facebook/opt-125m", Profiles.find("opt-125m").orElseThrow().name());
        assertTrue(Profiles.find("mistralai/Mistral-7B").isEmpty());
    }

    @Test
    void unknownModelWithoutProfileNamesTheBuiltIns() {
        UserError e = assertThrows(UserError.class, () -> Profiles.resolve("mistralai/Mistral-7B", Optional.empty()));
        assertEquals("no simulator profile for model 'mistralai/Mistral-7B'; built-in profiles: gpt2, facebook/opt-125m, "
                + "meta-llama/Llama-3.2-1B, meta-llama/Meta-Llama-3-8B. Pass --profile with one of them or with a "
                + "profile JSON file (format in docs/simulator.md)", e.getMessage());
    }

    @Test
    void profileOptionPicksABuiltInForAnyModel() {
        assertEquals("gpt2", Profiles.resolve("my-finetune", Optional.of("gpt2")).name());
        UserError e = assertThrows(UserError.class, () -> Profiles.resolve("x", Optional.of("nope")));
        assertTrue(e.getMessage().startsWith("unknown simulator profile 'nope'; built-in profiles: gpt2"), e.getMessage());
    }

    /** Block counts that vLLM's profiling run gives on an H100 at --gpu-memory-utilization 0.9, block size 16. */
    @Test
    void kvBlocksFollowVllmsSizing() {
        assertEquals(126_591, Profiles.find("gpt2").orElseThrow().memory().gpuBlocks(16, 0.9));
        assertEquals(28_063, Profiles.find("meta-llama/Meta-Llama-3-8B").orElseThrow().memory().gpuBlocks(16, 0.9));
        assertEquals(138_176, Profiles.find("meta-llama/Llama-3.2-1B").orElseThrow().memory().gpuBlocks(16, 0.9));
        assertEquals(2048, Profiles.find("meta-llama/Meta-Llama-3-8B").orElseThrow().memory().cpuBlocks(16, 4));
    }

    @Test
    void userProfileFileRoundTrips(@TempDir Path dir) throws Exception {
        Profile gpt2 = Profiles.find("gpt2").orElseThrow();
        Path file = dir.resolve("mine.json");
        Files.writeString(file, ProfileJson.write(gpt2).replace("\"gpt2\"", "\"my-gpt2\""));
        Profile mine = Profiles.resolve("anything", Optional.of(file.toString()));
        assertEquals("my-gpt2", mine.name());
        assertEquals(gpt2.costs(), mine.costs());
        assertEquals(gpt2.memory(), mine.memory());
        assertEquals(gpt2.outputLength(), mine.outputLength());
        assertEquals(ProfileJson.write(gpt2), ProfileJson.write(Profiles.load(dir.resolve("mine.json")))
                .replace("\"my-gpt2\"", "\"gpt2\""));
    }

    @Test
    void builtInFilesAreWrittenInTheCanonicalFormat() throws Exception {
        for (String file : List.of("gpt2.json", "opt-125m.json", "llama-3.2-1b.json", "llama-3-8b.json")) {
            String text;
            try (var in = Profiles.class.getResourceAsStream("/dev/schedbench/sim/profiles/" + file)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Profile parsed = ProfileJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file);
            assertEquals(text, ProfileJson.write(parsed), file);
        }
    }

    @Test
    void badProfileFilesNameTheFileAndTheField(@TempDir Path dir) throws Exception {
        String good = ProfileJson.write(Profiles.find("gpt2").orElseThrow());
        assertBad(dir, good.replace("\"c0_ms\"", "\"c0_msec\""), "unknown field 'iteration.c0_msec'");
        assertBad(dir, good.replace("\"max_model_len\" : 1024,", ""), "field 'max_model_len' is missing or not an integer");
        assertBad(dir, good.replace("\"scheduler\" : \"v0\"", "\"scheduler\" : \"v9\""), "field 'scheduler' must be");
        assertBad(dir, good.replace("\"sigma\" : 1.0", "\"sigma\" : -1.0"), "output_length.sigma must be");
        assertBad(dir, "{ nope", "is not valid JSON");
        UserError missing = assertThrows(UserError.class, () -> Profiles.load(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    private static void assertBad(Path dir, String content, String expected) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        UserError e = assertThrows(UserError.class, () -> Profiles.load(file));
        assertTrue(e.getMessage().startsWith("profile file " + file), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * Natural lengths are a pure function of (profile, prompt, seed): an oracle dataset made against the
     * simulator stays valid. These values must never change.
     */
    @Test
    void naturalLengthsAreStable() {
        OutputLengths gpt2 = new OutputLengths(Profiles.find("gpt2").orElseThrow(), 0);
        int hello = gpt2.naturalLength("Hello, how are you?");
        assertEquals(hello, new OutputLengths(Profiles.find("openai-community/gpt2").orElseThrow(), 0)
                .naturalLength("Hello, how are you?"));
        assertEquals(List.of(99, 137, 105), List.of(hello, gpt2.naturalLength("Write a poem about the sea."),
                new OutputLengths(Profiles.find("gpt2").orElseThrow(), 1).naturalLength("Hello, how are you?")),
                "golden natural lengths");
    }

    @Test
    void naturalLengthsFollowTheProfilesDistribution() {
        OutputLengths lengths = new OutputLengths(Profiles.find("gpt2").orElseThrow(), 4);
        int n = 20_000;
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = lengths.naturalLength("prompt number " + i);
        }
        java.util.Arrays.sort(values);
        assertEquals(100, values[n / 2], 5, "median");
        double logSd = Math.sqrt(java.util.Arrays.stream(values).mapToDouble(v -> Math.pow(Math.log(v) - Math.log(100), 2))
                .average().orElseThrow());
        assertEquals(1.0, logSd, 0.05, "log-space sigma");
    }
}
