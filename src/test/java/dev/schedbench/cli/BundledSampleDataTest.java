package dev.schedbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.schedbench.data.DatasetReader;
import dev.schedbench.data.QueryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample data in the repository's data/ folder is what the simulator makes from the sample queries. */
class BundledSampleDataTest {

    static final Path QUERIES = Path.of("data", "sample_queries.json");
    static final Path DATASET = Path.of("data", "gpt2_sample_data.json");

    @TempDir
    Path dir;

    @Test
    void sampleQueriesAreTwoHundredDistinctPrompts() {
        List<String> queries = QueryFile.read(QUERIES, Integer.MAX_VALUE);
        assertEquals(200, queries.size());
        assertEquals(200, new HashSet<>(queries).size());
        assertEquals(queries, DatasetReader.read(DATASET).entries().stream().map(e -> e.prompt()).toList());
    }

    @Test
    void sampleDatasetIsWhatTheSimulatorMakesToday() throws Exception {
        Path fresh = dir.resolve("gpt2_sample_data.json");
        CliHarness.Outcome o = CliHarness.run(Map.of(), dir, "create-dataset", "--engine", "sim", "--model", "gpt2",
                "--queries", QUERIES.toString(), "--num-queries", "200", "--out", fresh.toString(), "--workspace", dir.toString());
        assertEquals(0, o.exitCode(), o.all());
        assertEquals(Files.readString(DATASET), Files.readString(fresh),
                "the simulator's lengths changed; regenerate data/gpt2_sample_data.json with: schedbench create-dataset "
                        + "--engine sim --model gpt2 --queries data/sample_queries.json --num-queries 200 --out data/gpt2_sample_data.json");
    }
}
