package dev.schedbench.store;

import java.util.List;
import java.util.Optional;

/**
 * A run as the database holds it.
 *
 * @param id         the run's id in this database
 * @param header     what the run is and how it ended
 * @param imported   whether it came from a file rather than from a run on this workbench
 * @param sourceFile the imported file's name
 * @param datasetId  the dataset it ran on, when known
 * @param tags       its tags, sorted
 */
public record StoredRun(long id, RunHeader header, boolean imported, Optional<String> sourceFile,
        Optional<Long> datasetId, List<String> tags) {

    public StoredRun {
        tags = List.copyOf(tags);
    }
}
