package dev.schedbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run database benchmark at full size. Excluded from the default build; run with
 * {@code mvn -o test -Dtest=StoreBenchmarkTest -Dtest.excludedGroups=}. Figures go to standard
 * output; the only assertions are the size budget, which does not depend on the machine's speed.
 */
@Tag("benchmark")
class StoreBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void persistSizeAndListing() {
        StoreBenchmark.Figures f = StoreBenchmark.run(dir, 100_000, 200, 10_000);
        System.out.println(f);
        assertEquals(100_000, f.requests());
        assertTrue(f.databaseBytes() < 50_000_000, "database of 100,000 requests with 200 ITLs each: " + f.databaseBytes() + " bytes");
    }
}
