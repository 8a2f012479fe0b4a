package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.data.DatasetEntry;
import dev.schedbench.data.DatasetReader;
import dev.schedbench.testsupport.SeedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {

    @TempDir
    Path dir;

    static String golden(String name) throws IOException {
        try (InputStream in = DatasetCommandTest.class.getResourceAsStream("/golden/data/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    Path seed100() throws IOException {
        Path copy = dir.resolve("gpt2_data.json");
        Files.copy(SeedData.file("gpt2_data_seed_commit_100rows.json"), copy);
        return copy;
    }

    static CliHarness.Outcome run(String... args) {
        return CliHarness.run(Map.of(), Path.of("."), args);
    }

    @Test
    void showPrintsATableAndJson() throws IOException {
        Path file = seed100();
        CliHarness.Outcome table = run("dataset", "show", file.toString());
        assertEquals(0, table.exitCode(), table.all());
        assertEquals(golden("show-gpt2-100rows.txt"), table.out().replace(file.toString(), "FILE"));
        CliHarness.Outcome json = run("dataset", "show", "--json", file.toString());
        assertEquals(golden("show-gpt2-100rows.json"), json.out().replace(file.toString(), "FILE"));
    }

    @Test
    void showReadsEverySeedFileAsItIs() throws IOException {
        for (String name : List.of("gpt2_data.json", "meta-llama_Llama-3.2-1B/2048/meta-llama_Llama-3.2-1B_data.json")) {
            CliHarness.Outcome o = run("dataset", "show", SeedData.file(name).toString());
            assertEquals(0, o.exitCode(), o.all());
            assertTrue(o.out().contains("entries     " + (name.startsWith("gpt2") ? 2000 : 100)), o.out());
        }
        assertTrue(run("dataset", "show", SeedData.file("meta-llama_Llama-3.2-1B/2048/meta-llama_Llama-3.2-1B_data.json").toString())
                .out().contains("approximation for meta-llama/Llama-3.2-1B"));
    }

    /** The golden file was written by the fork's add_noise.py logic under python3 (annotate_golden.py beside it). */
    @Test
    void noisyAnnotationIsTheForksAddNoiseExactly() throws IOException {
        Path file = seed100();
        CliHarness.Outcome o = run("dataset", "annotate", file.toString(), "--priority", "noisy:10,25,50,75,100,125,150", "--ascii");
        assertEquals(0, o.exitCode(), o.all());
        Path out = dir.resolve("gpt2_annotated_data.json");
        assertTrue(o.out().startsWith("added output_tokens_noise_10, output_tokens_noise_25, output_tokens_noise_50, "
                + "output_tokens_noise_75, output_tokens_noise_100, output_tokens_noise_125, output_tokens_noise_150 to 100 entries: " + out), o.out());
        assertEquals(golden("gpt2_100rows_noise.json"), Files.readString(out));
        List<DatasetEntry> entries = DatasetReader.read(out).entries();
        assertEquals(270, entries.getFirst().extra("output_tokens_noise_10").getAsInt());
    }

    @Test
    void binnedAnnotationByQuantileAndByEdgesMatchesPython() throws IOException {
        Path file = seed100();
        Path out = dir.resolve("binned.json");
        CliHarness.Outcome quantiles = run("dataset", "annotate", file.toString(), "--priority", "binned:4", "--out", out.toString(), "--ascii");
        assertEquals(0, quantiles.exitCode(), quantiles.all());
        assertTrue(quantiles.out().contains("classes by output_tokens:"), quantiles.out());
        assertTrue(quantiles.out().contains("3  > 256            1 entries"), quantiles.out());
        CliHarness.Outcome edges = run("dataset", "annotate", out.toString(), "--priority", "binned:64,128,255", "--out", out.toString(), "--ascii");
        assertEquals(0, edges.exitCode(), edges.all());
        assertTrue(edges.out().contains("0  <= 64            7 entries"), edges.out());
        assertEquals(golden("gpt2_100rows_binned.json"), Files.readString(out));
    }

    @Test
    void annotateRefusesBadSpecsAndShareGpt() throws IOException {
        Path file = seed100();
        CliHarness.Outcome bad = run("dataset", "annotate", file.toString(), "--priority", "noisy:ten");
        assertEquals(1, bad.exitCode());
        assertEquals("error: --priority noisy:ten: 'ten' is not a number", bad.err().strip());
        CliHarness.Outcome oracle = run("dataset", "annotate", file.toString(), "--priority", "oracle");
        assertTrue(oracle.err().startsWith("error: --priority oracle is not an annotation"), oracle.err());
        Path share = dir.resolve("share.json");
        Files.writeString(share, "[{\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}, {\"from\": \"gpt\", \"value\": \"hello there\"}]}]");
        CliHarness.Outcome sharegpt = run("dataset", "annotate", share.toString(), "--priority", "binned:2");
        assertTrue(sharegpt.err().contains("is ShareGPT, whose entries carry no output_tokens"), sharegpt.err());
    }

    @Test
    void validateListsEveryProblemWithItsIndex() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                [
                    {"input": "fine", "output_len": 10, "output_tokens": 3},
                    {"input": 42, "output_tokens": 3},
                    {"input": "no tokens"},
                    {"input": "negative", "output_tokens": -1, "output_len": "long"},
                    "a string"
                ]""");
        CliHarness.Outcome o = run("dataset", "validate", file.toString());
        assertEquals(1, o.exitCode());
        assertEquals(file + ": 5 entries (seed {model}_data.json), 5 problems\n"
                + "  entry 1: \"input\" must be text, got a number 42\n"
                + "  entry 2: missing \"output_tokens\"\n"
                + "  entry 3: \"output_tokens\" must be a whole number >= 0, got a number -1\n"
                + "  entry 3: \"output_len\" must be a whole number >= 0, got text \"long\"\n"
                + "  entry 4: expected an object, got text \"a string\"\n", o.out());
        assertEquals("error: dataset file " + file + " has 5 problems (listed above)", o.err().strip());

        CliHarness.Outcome good = run("dataset", "validate", seed100().toString());
        assertEquals(0, good.exitCode(), good.all());
        assertTrue(good.out().endsWith("100 entries (seed {model}_data.json), all valid\n"), good.out());

        CliHarness.Outcome show = run("dataset", "show", file.toString());
        assertEquals(1, show.exitCode());
        assertEquals("error: dataset file " + file + ": entry 1: \"input\" must be text, got a number 42", show.err().strip());
    }

    @Test
    void validateNamesABrokenFileAndAQueriesList() throws IOException {
        Path cut = dir.resolve("cut.json");
        Files.writeString(cut, "[{\"input\": \"a\", \"output_tokens\": 1},\n{\"input\": \"b\", \"outp");
        CliHarness.Outcome o = run("dataset", "validate", cut.toString());
        assertEquals(1, o.exitCode());
        assertTrue(o.out().contains("is not valid JSON at line 2"), o.out());
        Path queries = dir.resolve("q.json");
        Files.writeString(queries, "[\"a query\"]");
        assertTrue(run("dataset", "validate", queries.toString()).out().contains("this is a list of queries (strings), not a dataset"));
    }

    @Test
    void importTurnsShareGptIntoTheSeedsFormatInTheWorkspace() throws IOException {
        Path share = dir.resolve("chats.json");
        Files.writeString(share, """
                [
                    {"conversations": [{"from": "human", "value": "What is 2+2?"}, {"from": "gpt", "value": "2 + 2 = 4."}]},
                    {"conversations": [{"from": "human", "value": "alone"}]},
                    {"conversations": [{"from": "human", "value": "Say hi"}, {"from": "gpt", "value": "Hi!"}]}
                ]""");
        Path ws = dir.resolve("ws");
        CliHarness.Outcome o = run("dataset", "import", share.toString(), "--workspace", ws.toString());
        assertEquals(0, o.exitCode(), o.all());
        Path target = ws.resolve("data/chats_data.json");
        assertEquals("imported 2 entries (ShareGPT) to " + target + "; skipped 1 conversations with fewer than two turns\n", o.out());
        assertEquals("""
                [
                    {
                        "input": "What is 2+2?",
                        "output_len": 10,
                        "output_tokens": 6
                    },
                    {
                        "input": "Say hi",
                        "output_len": 3,
                        "output_tokens": 2
                    }
                ]""", Files.readString(target));
        assertFalse(run("dataset", "show", target.toString()).out().isEmpty());
    }
}
