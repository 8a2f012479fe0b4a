package dev.schedbench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.schedbench.metrics.PyFormat;
import dev.schedbench.model.ServeSpec;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Serving result files as vLLM writes them: its file-name pattern, and one JSON object spelled as
 * Python's {@code json.dump(result, f)} spells it ({@code ", "} and {@code ": "} separators, no indent,
 * floats as Python's repr, {@code Infinity}/{@code NaN}, non-ASCII escaped as lowercase {@code \\uXXXX}).
 */
public final class ResultFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .build();

    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .build();

    private ResultFiles() {}

    /**
     * {@code {backend}-{rate}qps[-concurrency{N}]-{model basename}-{yyyyMMdd-HHmmss}.json}, the rate as
     * Python prints a float ({@code inf}, {@code 10.0}, {@code 2.5}), the model cut after its last slash.
     */
    public static String fileName(ServeSpec spec, LocalDateTime now) {
        String model = spec.model();
        String basename = model.substring(model.lastIndexOf('/') + 1);
        String concurrency = spec.maxConcurrency().isPresent() ? "-concurrency" + spec.maxConcurrency().getAsInt() : "";
        return spec.backend() + "-" + PyFormat.repr(spec.requestRateRps()) + "qps" + concurrency + "-" + basename
                + "-" + STAMP.format(now) + ".json";
    }

    /** Writes vLLM's document followed by the workbench's extra sections as one JSON object. */
    public static void write(Path file, SequencedMap<String, Object> doc, Map<String, Object> extras) {
        SequencedMap<String, Object> all = new LinkedHashMap<>(doc);
        all.putAll(extras);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writeJson(out, all);
            }
        } catch (IOException e) {
            throw new UserError("cannot write result file " + file + ": " + e.getMessage()
                    + "; check that the directory is writable", e);
        }
    }

    /** The JSON text {@link #write} would put in a file. */
    public static String toJson(Map<String, ?> doc) {
        StringWriter out = new StringWriter();
        try {
            writeJson(out, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads a result file (vLLM's or ours) back, keys in file order; JSON null stays {@code null}. */
    public static SequencedMap<String, Object> read(Path file) {
        try {
            return READER.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UserError("cannot read result file " + file + ": " + e.getMessage()
                    + "; expected a JSON object as vLLM's benchmark writes it", e);
        }
    }

    private static void writeJson(Writer out, Map<String, ?> doc) throws IOException {
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.setPrettyPrinter(new PythonSeparators());
            gen.setCharacterEscapes(new PythonEscapes());
            writeValue(gen, doc);
        }
    }

    private static void writeValue(JsonGenerator gen, Object value) throws IOException {
        switch (value) {
            case null -> gen.writeNull();
            case String s -> gen.writeString(s);
            case Double d -> gen.writeNumber(PyFormat.jsonNumber(d));
            case Float f -> gen.writeNumber(PyFormat.jsonNumber(f));
            case Integer i -> gen.writeNumber(i);
            case Long l -> gen.writeNumber(l);
            case Short s -> gen.writeNumber(s);
            case BigInteger b -> gen.writeNumber(b);
            case BigDecimal b -> gen.writeNumber(PyFormat.jsonNumber(b.doubleValue()));
            case Boolean b -> gen.writeBoolean(b);
            case Map<?, ?> map -> {
                gen.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    gen.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(gen, e.getValue());
                }
                gen.writeEndObject();
            }
            case Collection<?> list -> {
                gen.writeStartArray();
                for (Object item : list) {
                    writeValue(gen, item);
                }
                gen.writeEndArray();
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    /** {@code json.dump}'s default separators: {@code ", "} and {@code ": "}, no newlines, {@code []} and {@code {}} when empty. */
    private static final class PythonSeparators implements PrettyPrinter {
        @Override public void writeRootValueSeparator(JsonGenerator gen) {}
        @Override public void writeStartObject(JsonGenerator gen) throws IOException { gen.writeRaw('{'); }
        @Override public void writeEndObject(JsonGenerator gen, int entries) throws IOException { gen.writeRaw('}'); }
        @Override public void writeObjectEntrySeparator(JsonGenerator gen) throws IOException { gen.writeRaw(", "); }
        @Override public void writeObjectFieldValueSeparator(JsonGenerator gen) throws IOException { gen.writeRaw(": "); }
        @Override public void writeStartArray(JsonGenerator gen) throws IOException { gen.writeRaw('['); }
        @Override public void writeEndArray(JsonGenerator gen, int values) throws IOException { gen.writeRaw(']'); }
        @Override public void writeArrayValueSeparator(JsonGenerator gen) throws IOException { gen.writeRaw(", "); }
        @Override public void beforeArrayValues(JsonGenerator gen) {}
        @Override public void beforeObjectEntries(JsonGenerator gen) {}
    }

    /** JSON's standard escapes plus DEL, which Python's {@code ensure_ascii} also escapes. */
    private static final class PythonEscapes extends CharacterEscapes {
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        static {
            ASCII[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
