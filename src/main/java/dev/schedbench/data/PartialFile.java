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
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The resume file of an unfinished download or build: {@code OUT.partial} beside the output, JSON
 * Lines. The first line is a header whose {@code format} says what the file records and for what;
 * every further line is one finished unit, flushed as it is written. Only complete lines are trusted
 * on reading back, so a run killed mid-write loses at most what it was writing.
 */
final class PartialFile implements Closeable {

    private static final String SUFFIX = ".partial";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;

    private PartialFile(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + SUFFIX);
    }

    /** A header line for {@code format}, to which the caller adds what the file is for. */
    static ObjectNode header(String format) {
        return JSON.createObjectNode().put("format", format);
    }

    /** An empty line for the caller to fill. */
    static ObjectNode line() {
        return JSON.createObjectNode();
    }

    /**
     * Reads what an earlier run left. {@code header} turns a header of {@code format} into the caller's
     * description of the file; {@code line} then takes each further line in order until it refuses one
     * (returns false) or a line is not whole JSON. The file is cut back to the end of the last line
     * taken. Empty, and the file left alone, when there is no file or it does not begin with a header
     * of {@code format}.
     */
    static <H> Optional<H> read(Path file, String format, Function<JsonNode, H> header, Predicate<JsonNode> line) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int lineStart = 0;
            long goodBytes = 0;
            H head = null;
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
                if (head == null) {
                    if (node == null || !format.equals(node.path("format").asText())) {
                        return Optional.empty();
                    }
                    head = header.apply(node);
                } else if (node == null || !line.test(node)) {
                    break;
                }
                goodBytes = lineStart;
            }
            if (head == null) {
                return Optional.empty();
            }
            if (goodBytes < bytes.length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(goodBytes);
                }
            }
            return Optional.of(head);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Starts a new partial file with {@code header}, replacing any old one. */
    static PartialFile create(Path file, ObjectNode header) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            w.write(JSON.writeValueAsString(header));
            w.write('\n');
            w.flush();
            return new PartialFile(file, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Continues an existing (already cut back) partial file. */
    static PartialFile append(Path file) {
        try {
            return new PartialFile(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends {@code lines} and flushes, so a later crash loses at most the lines being written. */
    synchronized void append(List<? extends JsonNode> lines) {
        try {
            StringBuilder out = new StringBuilder(lines.size() * 128);
            for (JsonNode line : lines) {
                out.append(JSON.writeValueAsString(line)).append('\n');
            }
            writer.write(out.toString());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
