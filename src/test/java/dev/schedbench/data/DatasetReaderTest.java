package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.UserError;
import dev.schedbench.testsupport.SeedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEverySeedDatasetAsItIs() throws IOException {
        List<Path> datasets;
        try (Stream<Path> files = Files.walk(SeedData.dir())) {
            datasets = files.filter(f -> f.getFileName().toString().contains("_data")).sorted().toList();
        }
        assertEquals(3, datasets.size(), datasets.toString());
        for (Path file : datasets) {
            Dataset d = DatasetReader.read(file);
            assertEquals(DatasetFormat.SEED, d.format(), file.toString());
            assertTrue(d.size() >= 100, file.toString());
            d.entries().forEach(e -> assertTrue(e.outputChars().isPresent()));
        }
        Dataset full = DatasetReader.read(SeedData.file("gpt2_data.json"));
        assertEquals(2000, full.size());
        DatasetEntry first = full.entries().getFirst();
        assertEquals(new DatasetEntry("What is the difference between OpenCL and CUDA?", 512, OptionalInt.of(2572), Map.of()), first);
        Dataset seedCommit = DatasetReader.read(SeedData.file("gpt2_data_seed_commit_100rows.json"));
        assertEquals(100, seedCommit.size());
        assertEquals(257, seedCommit.entries().stream().mapToInt(DatasetEntry::outputTokens).max().orElseThrow());
        Dataset llama = DatasetReader.read(SeedData.file("meta-llama_Llama-3.2-1B/2048/meta-llama_Llama-3.2-1B_data.json"));
        assertEquals(100, llama.size());
        assertEquals(2049, llama.entries().getFirst().outputTokens());
    }

    @Test
    void seedResultFilesAreNamedForWhatTheyAre() {
        UserError latency = assertThrows(UserError.class, () -> DatasetReader.read(SeedData.file("gpt2/512/fcfs_l.json")));
        assertTrue(latency.getMessage().contains("a latency result"), latency.getMessage());
        UserError throughput = assertThrows(UserError.class, () -> DatasetReader.read(SeedData.file("gpt2/512/fcfs_tp.json")));
        assertTrue(throughput.getMessage().contains("a throughput result"), throughput.getMessage());
    }

    @Test
    void keepsExtraIntegerFieldsInOrder() throws IOException {
        Path file = write("annotated.json", """
                [{"input": "hi there", "output_len": 10, "output_tokens": 50,
                  "output_tokens_noise_50": 61, "output_tokens_noise_10": 47, "note": "x", "ratio": 0.5}]""");
        DatasetEntry e = DatasetReader.read(file).entries().getFirst();
        assertEquals(List.of("output_tokens_noise_50", "output_tokens_noise_10"), List.copyOf(e.extra().keySet()));
        assertEquals(OptionalInt.of(61), e.extra("output_tokens_noise_50"));
        assertEquals(OptionalInt.empty(), e.extra("note"));
    }

    @Test
    void readsShareGptCountingTheAnswerAndSkippingShortConversations() throws IOException {
        Path file = write("sharegpt.json", """
                [
                  {"id": "a", "conversations": [{"from": "human", "value": "Say hello"}, {"from": "gpt", "value": "Hello world, how are you?"}]},
                  {"id": "b", "conversations": [{"from": "human", "value": "only a question"}]},
                  {"id": "c", "conversations": [{"from": "human", "value": "héllo"}, {"from": "gpt", "value": "ünïcode"},
                                                {"from": "human", "value": "more"}]}
                ]""");
        Dataset d = DatasetReader.read(file);
        assertEquals(DatasetFormat.SHAREGPT, d.format());
        assertEquals(2, d.size());
        assertEquals(1, d.skipped());
        DatasetEntry hello = d.entries().getFirst();
        assertEquals("Say hello", hello.prompt());
        assertEquals(LocalTokenCounter.gpt2().count("Hello world, how are you?"), hello.outputTokens());
        assertEquals(7, hello.outputTokens());
        assertEquals(OptionalInt.of(7), d.entries().get(1).outputChars());
    }

    @Test
    void readsJsonLinesAndArraysOfPromptObjects() throws IOException {
        Path lines = write("prompts.jsonl", """
                {"prompt": "first", "output_tokens": 12}

                {"prompt": "second", "output_tokens": 30, "output_len": 99, "bucket": 2}
                """);
        Dataset d = DatasetReader.read(lines);
        assertEquals(DatasetFormat.PROMPTS, d.format());
        assertEquals(List.of(new DatasetEntry("first", 12),
                new DatasetEntry("second", 30, OptionalInt.of(99), Map.of("bucket", 2))), d.entries());
        Path array = write("prompts.json", "[{\"prompt\": \"p\", \"output_tokens\": 5.0}]");
        assertEquals(List.of(new DatasetEntry("p", 5)), DatasetReader.read(array).entries());
    }

    @Test
    void badInputsNameTheFileAndTheEntry() throws IOException {
        assertError(write("empty.json", ""), "is empty");
        assertError(write("blank.json", "  \n\n"), "is empty");
        assertError(write("emptyarray.json", "[]"), "is an empty JSON array");
        assertError(dir.resolve("missing.json"), "does not exist");
        assertError(dir, "is a folder");
        assertError(write("text.txt", "hello"), "is not JSON");
        assertError(write("queries.json", "[\"what is 2+2?\", \"hi\"]"), "is a list of queries");
        assertError(write("numbers.json", "[1, 2]"), "entry 0 is a number 1");
        assertError(write("wrongtype.json", """
                [{"input": "a", "output_len": 1, "output_tokens": 5},
                 {"input": "b", "output_len": 1, "output_tokens": "many"}]"""),
                ": entry 1: \"output_tokens\" must be a whole number >= 0, got text \"many\"");
        assertError(write("negative.json", "[{\"input\": \"a\", \"output_tokens\": -3}]"), "entry 0: \"output_tokens\" must be a whole number >= 0");
        assertError(write("fraction.json", "[{\"input\": \"a\", \"output_tokens\": 2.5}]"), "entry 0: \"output_tokens\" must be a whole number");
        assertError(write("noprompt.json", "[{\"input\": \"a\", \"output_tokens\": 1}, {\"output_tokens\": 3}]"), "entry 1: missing \"input\"");
        assertError(write("notext.json", "[{\"input\": 7, \"output_tokens\": 1}]"), "entry 0: \"input\" must be text, got a number 7");
        assertError(write("nocount.json", "[{\"input\": \"a\"}]"), "entry 0: missing \"output_tokens\"");
        assertError(write("mixed.json", "[{\"input\": \"a\", \"output_tokens\": 1}, [1]]"), "entry 1: expected an object");
        assertError(write("truncated.json", "[{\"input\": \"a\", \"output_tokens\": 1},"), "not valid JSON");
        assertError(write("badsyntax.json", "[{\"input\": \"a\" \"output_tokens\": 1}]"), "not valid JSON at line 1");
        assertError(write("badline.jsonl", "{\"prompt\": \"a\", \"output_tokens\": 1}\n{\"prompt\": \"b\", \n"),
                "line 2 (entry 1) is not valid JSON");
        assertError(write("badfield.jsonl", "{\"prompt\": \"a\", \"output_tokens\": 1}\n{\"prompt\": \"b\", \"output_tokens\": null}\n"),
                "line 2 (entry 1): missing \"output_tokens\"");
        assertError(write("object.json", "{\n  \"a\": 1\n}"), "is a single JSON object, not a dataset");
        assertError(write("badturns.json", "[{\"conversations\": \"hello\"}]"), "entry 0: \"conversations\" must be an array");
        assertError(write("badturn.json", "[{\"conversations\": [{\"from\": \"human\"}, {\"from\": \"gpt\", \"value\": \"x\"}]}]"),
                "entry 0: conversation turn 0 must be");
        assertError(write("allshort.json", "[{\"conversations\": [{\"from\": \"human\", \"value\": \"x\"}]}]"), "no usable entries");
    }

    private void assertError(Path file, String expected) {
        UserError e = assertThrows(UserError.class, () -> DatasetReader.read(file), file.toString());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
