package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.schedbench.model.Policy;
import dev.schedbench.store.Database;
import dev.schedbench.store.RunFilter;
import dev.schedbench.store.RunStatus;
import dev.schedbench.store.StoredRun;
import dev.schedbench.testsupport.SeedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every offline result the seed's authors left under data/MODEL/512/ imports, with policy, kind and model inferred. */
class SeedImportTest {

    private static final Map<String, String> MODELS = Map.of("gpt2", "gpt2", "facebook_opt-125m", "facebook/opt-125m");

    @TempDir
    Path dir;

    @Test
    void everySeedResultImportsAndExportsItsDocumentUnchanged() throws Exception {
        List<Path> files;
        try (Stream<Path> found = Files.list(SeedData.dir())) {
            files = found.filter(d -> Files.isDirectory(d.resolve("512")))
                    .flatMap(d -> list(d.resolve("512")))
                    .filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        assertEquals(12, files.size(), files.toString());

        try (Database db = Database.open(dir.resolve("db"))) {
            List<RunImporter.Outcome> outcomes = RunImporter.importAll(db.runs(), files);
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                RunImporter.Outcome outcome = outcomes.get(i);
                assertTrue(outcome instanceof RunImporter.Outcome.Done, file + ": " + outcome);
                RunImporter.Imported imported = ((RunImporter.Outcome.Done) outcome).run();
                String name = file.getFileName().toString();
                String stem = name.substring(0, name.lastIndexOf('_'));

                assertEquals(name.endsWith("_l.json") ? "latency" : "throughput", imported.kind(), name);
                assertEquals(Optional.of(Policy.parse(stem)), imported.policy(), name);
                assertEquals(MODELS.get(file.getParent().getParent().getFileName().toString()), imported.model(), name);

                StoredRun run = db.runs().require(imported.runId());
                assertEquals(RunStatus.FINISHED, run.header().status());
                assertTrue(run.imported());
                assertEquals(Optional.of(name), run.sourceFile());

                JsonNode original = ReportJson.MAPPER.readTree(file.toFile());
                JsonNode exported = ReportJson.MAPPER.readTree(VllmJson.toJson(run, db.runs().requests(run.id())));
                assertEquals(original, exported, name);
            }
            assertEquals(6, db.runs().list(RunFilter.all().withKind("latency")).size());
            assertEquals(2, db.runs().list(RunFilter.all().withModel("gpt2").withPolicy(Policy.FCFS)).size());
        }
    }

    private static Stream<Path> list(Path folder) {
        try {
            return Files.list(folder).toList().stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
