package dev.schedbench.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset as read from a file.
 *
 * @param source  the file
 * @param format  the layout it was recognised as
 * @param entries its rows, in file order
 * @param skipped rows the format says to skip (ShareGPT conversations with fewer than two turns)
 */
public record Dataset(Path source, DatasetFormat format, List<DatasetEntry> entries, int skipped) {

    public Dataset {
        entries = List.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }
}
