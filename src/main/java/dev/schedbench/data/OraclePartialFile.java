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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The resume file of an unfinished {@code create-dataset}: {@code OUT.partial} beside the output,
 * JSON Lines. The first line records the model and sampling settings; then one line per finished
 * prompt, in completion order: {@code {"index":i,"input":"...","output_len":n,"output_tokens":m}}.
 * Only complete lines count, so a run killed mid-write loses at most the prompt being written.
 */
final class OraclePartialFile implements Closeable {

    static final String SUFFIX = ".partial";
    private static final String FORMAT = "schedbench-oracle-partial/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished prompt. */
    record Line(int index, String input, int outputLen, int outputTokens) {}

    /** What an existing partial file holds, by prompt index. */
    record Contents(OracleSettings settings, Map<Integer, Line> lines) {}

    private final Path file;
    private final BufferedWriter writer;

    private OraclePartialFile(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + SUFFIX);
    }

    static Optional<Contents> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int lineStart = 0;
            long goodBytes = 0;
            OracleSettings settings = null;
            Map<Integer, Line> lines = new LinkedHashMap<>();
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
                if (settings == null) {
                    if (node == null || !FORMAT.equals(node.path("format").asText())) {
                        return Optional.empty();
                    }
                    settings = new OracleSettings(node.path("model").asText(), node.path("output_len").asInt(),
                            node.path("temperature").asDouble());
                } else {
                    if (node == null || !node.path("index").canConvertToInt() || !node.path("input").isTextual()) {
                        break;
                    }
                    Line line = new Line(node.path("index").asInt(), node.path("input").asText(),
                            node.path("output_len").asInt(), node.path("output_tokens").asInt());
                    lines.put(line.index(), line);
                }
                goodBytes = lineStart;
            }
            if (settings == null) {
                return Optional.empty();
            }
            if (goodBytes < bytes.length) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(goodBytes);
                }
            }
            return Optional.of(new Contents(settings, lines));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static OraclePartialFile create(Path file, OracleSettings settings) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("model", settings.model())
                    .put("output_len", settings.outputLen()).put("temperature", settings.temperature());
            w.write(JSON.writeValueAsString(header));
            w.write('\n');
            w.flush();
            return new OraclePartialFile(file, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static OraclePartialFile append(Path file) {
        try {
            return new OraclePartialFile(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized void append(Line line) {
        try {
            ObjectNode node = JSON.createObjectNode().put("index", line.index()).put("input", line.input())
                    .put("output_len", line.outputLen()).put("output_tokens", line.outputTokens());
            writer.write(JSON.writeValueAsString(node));
            writer.write('\n');
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
