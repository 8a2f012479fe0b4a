package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The golden files were written by Python 3's {@code json.dump(doc, f, indent=4)}. */
class PythonJsonTest {

    static final JsonMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static String resource(String path) throws IOException {
        try (InputStream in = PythonJsonTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void treeIsWrittenByteForByteAsPythonDoes() throws IOException {
        String golden = resource("/golden/data/python-json-mixed.json");
        JsonNode tree = LENIENT.readTree(golden);
        assertEquals(golden, PythonJson.with(PythonJson.Escaping.ASCII).toJson(tree));
    }

    @Test
    void floatsReprAsPython() throws IOException {
        String pythonCompact = resource("/data/python-floats.json");
        JsonNode floats = LENIENT.readTree(pythonCompact);
        List<String> expected = List.of(pythonCompact.substring(1, pythonCompact.length() - 1).split(", "));
        for (int i = 0; i < floats.size(); i++) {
            assertEquals(expected.get(i), PythonJson.floatRepr(floats.get(i).doubleValue()), "float #" + i);
        }
    }

    @Test
    void javaValuesAsPythonWritesThem() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("input", "naïve \"quote\"");
        entry.put("output_len", 1232);
        entry.put("output_tokens", 255);
        entry.put("score", 0.5);
        String expected = """
                [
                    {
                        "input": "na\\u00efve \\"quote\\"",
                        "output_len": 1232,
                        "output_tokens": 255,
                        "score": 0.5
                    },
                    [],
                    {}
                ]""";
        assertEquals(expected, PythonJson.with(PythonJson.Escaping.ASCII).toJson(List.of(entry, List.of(), Map.of())));
        assertEquals("\"na\u00efve \\ud800\"", PythonJson.with(PythonJson.Escaping.UTF8).toJson("na\u00efve \ud800"));
    }
}
