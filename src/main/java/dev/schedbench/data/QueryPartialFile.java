package dev.schedbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The resume file of an unfinished {@code download-queries}: {@code OUT.partial} beside the output,
 * JSON Lines. The first line names what is being downloaded; then one line per dataset row, in
 * order: {@code {"row_idx":n,"query":"..."}} or {@code {"row_idx":n,"skipped":"why"}}. A line is
 * only trusted when complete, so a download killed mid-write resumes from the last whole row.
 */
final class QueryPartialFile implements Closeable {

    static final String SUFFIX = ".partial";
    private static final String FORMAT = "schedbench-queries-partial/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a partial file downloads; a resume only continues a file with the same source. */
    record Source(String dataset, String config, String split) {}

    /** One recorded row. */
    record Line(long rowIdx, FirstTurn turn) {}

    /** What an existing partial file holds. */
    record Contents(Source source, List<Line> lines) {}

    private final Path file;
    private final BufferedWriter writer;

    private QueryPartialFile(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + SUFFIX);
    }

    /**
     * Reads what an earlier run left, cutting the file back to its last complete, contiguous row.
     * Empty when there is no usable partial file.
     */
    static Optional<Contents> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int lineStart = 0;
            long goodBytes = 0;
            Source source = null;
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                String text = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
                lineStart = i + 1;
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException corrupt) {
                    break;
                }
                if (source == null) {
                    if (node == null || !FORMAT.equals(node.path("format").asText())) {
                        return Optional.empty();
                    }
                    source = new Source(node.path("dataset").asText(), node.path("config").asText(), node.path("split").asText());
                } else {
                    Optional<Line> line = parseLine(node);
                    if (line.isEmpty() || line.get().rowIdx() != lines.size()) {
                        break;
                    }
                    lines.add(line.get());
                }
                goodBytes = lineStart;
            }
            if (source == null) {
                return Optional.empty();
            }
            if (goodBytes < bytes.length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(goodBytes);
                }
            }
            return Optional.of(new Contents(source, lines));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Line> parseLine(JsonNode node) {
        if (node == null || !node.path("row_idx").canConvertToLong()) {
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
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            ObjectNode header = JSON.createObjectNode()
                    .put("format", FORMAT).put("dataset", source.dataset())
                    .put("config", source.config()).put("split", source.split());
            w.write(JSON.writeValueAsString(header));
            w.write('\n');
            w.flush();
            return new QueryPartialFile(file, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Continues an existing (already cut back) partial file. */
    static QueryPartialFile append(Path file) {
        try {
            return new QueryPartialFile(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends a page of rows and flushes, so a later crash loses at most the page being written. */
    void appendPage(List<Line> lines) {
        try {
            StringBuilder out = new StringBuilder(lines.size() * 128);
            for (Line line : lines) {
                ObjectNode node = JSON.createObjectNode().put("row_idx", line.rowIdx());
                switch (line.turn()) {
                    case FirstTurn.UserText t -> node.put("query", t.text());
                    case FirstTurn.Unusable u -> node.put("skipped", u.reason());
                    case FirstTurn.Truncated t -> node.put("skipped", "the server truncated the conversation");
                }
                out.append(JSON.writeValueAsString(node)).append('\n');
            }
            writer.write(out.toString());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
