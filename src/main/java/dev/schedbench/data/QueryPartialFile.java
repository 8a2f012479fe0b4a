package dev.schedbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The resume file of an unfinished {@code download-queries}, a {@link PartialFile}. The header names
 * what is being downloaded; then one line per dataset row, in order: {@code {"row_idx":n,"query":"..."}}
 * or {@code {"row_idx":n,"skipped":"why"}}.
 */
final class QueryPartialFile implements Closeable {

    private static final String FORMAT = "schedbench-queries-partial/1";

    /** What a partial file downloads; a resume only continues a file with the same source. */
    record Source(String dataset, String config, String split) {}

    /** One recorded row. */
    record Line(long rowIdx, FirstTurn turn) {}

    /** What an existing partial file holds. */
    record Contents(Source source, List<Line> lines) {}

    private final PartialFile file;

    private QueryPartialFile(PartialFile file) {
        this.file = file;
    }

    static Path pathFor(Path output) {
        return PartialFile.pathFor(output);
    }

    /**
     * Reads what an earlier run left, cutting the file back to its last complete, contiguous row.
     * Empty when there is no usable partial file.
     */
    static Optional<Contents> read(Path file) {
        List<Line> lines = new ArrayList<>();
        return PartialFile.read(file, FORMAT,
                header -> new Source(header.path("dataset").asText(), header.path("config").asText(),
                        header.path("split").asText()),
                node -> {
                    Optional<Line> line = parseLine(node);
                    if (line.isEmpty() || line.get().rowIdx() != lines.size()) {
                        return false;
                    }
                    lines.add(line.get());
                    return true;
                })
                .map(source -> new Contents(source, lines));
    }

    private static Optional<Line> parseLine(JsonNode node) {
        if (!node.path("row_idx").canConvertToLong()) {
            return Optional.empty();
        }
        long idx = node.path("row_idx").asLong();
        if (node.path("query").isTextual()) {
            return Optional.of(new Line(idx, new FirstTurn.UserText(node.path("query").asText())));
        }
        if (node.path("skipped").isTextual()) {
            return Optional.of(new Line(idx, new FirstTurn.Unusable(node.path("skipped").asText())));
        }
        return Optional.empty();
    }

    /** Starts a new partial file, replacing any old one. */
    static QueryPartialFile create(Path file, Source source) {
        return new QueryPartialFile(PartialFile.create(file, PartialFile.header(FORMAT).put("dataset", source.dataset())
                .put("config", source.config()).put("split", source.split())));
    }

    /** Continues an existing (already cut back) partial file. */
    static QueryPartialFile append(Path file) {
        return new QueryPartialFile(PartialFile.append(file));
    }

    /** Appends a page of rows and flushes, so a later crash loses at most the page being written. */
    void appendPage(List<Line> lines) {
        List<ObjectNode> nodes = new ArrayList<>(lines.size());
        for (Line line : lines) {
            ObjectNode node = PartialFile.line().put("row_idx", line.rowIdx());
            switch (line.turn()) {
                case FirstTurn.UserText t -> node.put("query", t.text());
                case FirstTurn.Unusable u -> node.put("skipped", u.reason());
                case FirstTurn.Truncated t -> node.put("skipped", "the server truncated the conversation");
            }
            nodes.add(node);
        }
        file.append(nodes);
    }

    @Override
    public void close() {
        file.close();
    }
}
