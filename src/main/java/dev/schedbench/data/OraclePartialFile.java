package dev.schedbench.data;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resume file of an unfinished {@code create-dataset}, a {@link PartialFile}. The header records
 * the model and sampling settings; then one line per finished prompt, in completion order:
 * {@code {"index":i,"input":"...","output_len":n,"output_tokens":m}}.
 */
final class OraclePartialFile implements Closeable {

    private static final String FORMAT = "schedbench-oracle-partial/1";

    /** One finished prompt. */
    record Line(int index, String input, int outputLen, int outputTokens) {}

    /** What an existing partial file holds, by prompt index. */
    record Contents(OracleSettings settings, Map<Integer, Line> lines) {}

    private final PartialFile file;

    private OraclePartialFile(PartialFile file) {
        this.file = file;
    }

    static Path pathFor(Path output) {
        return PartialFile.pathFor(output);
    }

    static Optional<Contents> read(Path file) {
        Map<Integer, Line> lines = new LinkedHashMap<>();
        return PartialFile.read(file, FORMAT,
                header -> new OracleSettings(header.path("model").asText(), header.path("output_len").asInt(),
                        header.path("temperature").asDouble()),
                node -> {
                    if (!node.path("index").canConvertToInt() || !node.path("input").isTextual()) {
                        return false;
                    }
                    Line line = new Line(node.path("index").asInt(), node.path("input").asText(),
                            node.path("output_len").asInt(), node.path("output_tokens").asInt());
                    lines.put(line.index(), line);
                    return true;
                })
                .map(settings -> new Contents(settings, lines));
    }

    static OraclePartialFile create(Path file, OracleSettings settings) {
        return new OraclePartialFile(PartialFile.create(file, PartialFile.header(FORMAT).put("model", settings.model())
                .put("output_len", settings.outputLen()).put("temperature", settings.temperature())));
    }

    static OraclePartialFile append(Path file) {
        return new OraclePartialFile(PartialFile.append(file));
    }

    void append(Line line) {
        file.append(List.of(PartialFile.line().put("index", line.index()).put("input", line.input())
                .put("output_len", line.outputLen()).put("output_tokens", line.outputTokens())));
    }

    @Override
    public void close() {
        file.close();
    }
}
