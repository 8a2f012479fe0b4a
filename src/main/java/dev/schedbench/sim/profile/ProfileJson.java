package dev.schedbench.sim.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads and writes the profile file format (see docs/simulator.md). Parsing is strict: an unknown or
 * missing field is an error naming the field, so a typo in a user profile never passes silently.
 */
public final class ProfileJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TOP = Set.of("name", "aliases", "description", "hardware", "scheduler",
            "max_model_len", "memory", "iteration", "output_length");
    private static final Set<String> MEMORY = Set.of("gpu_memory_gib", "weights_gib", "activation_gib",
            "kv_bytes_per_token", "num_gpu_blocks");
    private static final Set<String> ITERATION = Set.of("c0_ms", "c1_us", "f_ms", "kappa_us", "gamma_us",
            "delta_us", "swap_gb_per_s", "jitter");
    private static final Set<String> OUTPUT = Set.of("median", "sigma", "min", "max");

    private ProfileJson() {}

    /** Parses a profile; {@code source} names the file in error messages. */
    public static Profile read(InputStream in, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProfileFormatException(source + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProfileFormatException("cannot read " + source + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ProfileFormatException(source + " must hold one JSON object");
        }
        try {
            return parse(root, source);
        } catch (IllegalArgumentException e) {
            throw new ProfileFormatException(source + ": " + e.getMessage());
        }
    }

    private static Profile parse(JsonNode root, String source) {
        checkKeys(root, TOP, "");
        JsonNode memory = object(root, "memory");
        checkKeys(memory, MEMORY, "memory.");
        JsonNode iteration = object(root, "iteration");
        checkKeys(iteration, ITERATION, "iteration.");
        JsonNode output = object(root, "output_length");
        checkKeys(output, OUTPUT, "output_length.");
        List<String> aliases = new ArrayList<>();
        JsonNode aliasNode = root.get("aliases");
        if (aliasNode != null && !aliasNode.isNull()) {
            if (!aliasNode.isArray()) {
                throw new IllegalArgumentException("field 'aliases' must be an array of strings");
            }
            aliasNode.forEach(a -> aliases.add(a.asText()));
        }
        String schedulerText = optionalText(root, "scheduler", "v0").toUpperCase(Locale.ROOT);
        EngineGeneration scheduler = switch (schedulerText) {
            case "V0" -> EngineGeneration.V0;
            case "V1" -> EngineGeneration.V1;
            default -> throw new IllegalArgumentException("field 'scheduler' must be \"v0\" or \"v1\", got \""
                    + schedulerText.toLowerCase(Locale.ROOT) + "\"");
        };
        JsonNode blocks = memory.get("num_gpu_blocks");
        OptionalInt numGpuBlocks = blocks == null || blocks.isNull()
                ? OptionalInt.empty() : OptionalInt.of(integer(memory, "num_gpu_blocks", "memory."));
        return new Profile(
                text(root, "name"),
                aliases,
                optionalText(root, "description", ""),
                optionalText(root, "hardware", ""),
                scheduler,
                integer(root, "max_model_len", ""),
                new MemoryModel(number(memory, "gpu_memory_gib", "memory."), number(memory, "weights_gib", "memory."),
                        number(memory, "activation_gib", "memory."),
                        (long) number(memory, "kv_bytes_per_token", "memory."), numGpuBlocks),
                new IterationCosts(number(iteration, "c0_ms", "iteration."), number(iteration, "c1_us", "iteration."),
                        number(iteration, "f_ms", "iteration."), number(iteration, "kappa_us", "iteration."),
                        number(iteration, "gamma_us", "iteration."), number(iteration, "delta_us", "iteration."),
                        number(iteration, "swap_gb_per_s", "iteration."),
                        iteration.has("jitter") ? number(iteration, "jitter", "iteration.") : 0.0),
                new OutputLengthDistribution(number(output, "median", "output_length."),
                        number(output, "sigma", "output_length."), integer(output, "min", "output_length."),
                        integer(output, "max", "output_length.")));
    }

    /** The profile as the file format writes it. */
    public static String write(Profile p) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", p.name());
        p.aliases().forEach(root.putArray("aliases")::add);
        if (p.aliases().isEmpty()) {
            root.putArray("aliases");
        }
        root.put("description", p.description());
        root.put("hardware", p.hardware());
        root.put("scheduler", p.scheduler().name().toLowerCase(Locale.ROOT));
        root.put("max_model_len", p.maxModelLen());
        ObjectNode memory = root.putObject("memory");
        memory.put("gpu_memory_gib", p.memory().gpuMemoryGib());
        memory.put("weights_gib", p.memory().weightsGib());
        memory.put("activation_gib", p.memory().activationGib());
        memory.put("kv_bytes_per_token", p.memory().kvBytesPerToken());
        if (p.memory().numGpuBlocks().isPresent()) {
            memory.put("num_gpu_blocks", p.memory().numGpuBlocks().getAsInt());
        } else {
            memory.putNull("num_gpu_blocks");
        }
        ObjectNode it = root.putObject("iteration");
        IterationCosts c = p.costs();
        it.put("c0_ms", c.c0Millis());
        it.put("c1_us", c.c1Micros());
        it.put("f_ms", c.floorMillis());
        it.put("kappa_us", c.kappaMicros());
        it.put("gamma_us", c.gammaMicros());
        it.put("delta_us", c.deltaMicros());
        it.put("swap_gb_per_s", c.swapGigabytesPerSecond());
        it.put("jitter", c.jitterFraction());
        ObjectNode out = root.putObject("output_length");
        out.put("median", p.outputLength().median());
        out.put("sigma", p.outputLength().sigma());
        out.put("min", p.outputLength().min());
        out.put("max", p.outputLength().max());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: writing a tree to a string", e);
        }
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + prefix + key + "'; expected one of "
                        + allowed.stream().sorted().map(k -> prefix + k).toList());
            }
        }
    }

    private static JsonNode object(JsonNode node, String key) {
        JsonNode child = node.get(key);
        if (child == null || !child.isObject()) {
            throw new IllegalArgumentException("field '" + key + "' is missing or not an object");
        }
        return child;
    }

    private static String text(JsonNode node, String key) {
        JsonNode child = node.get(key);
        if (child == null || !child.isTextual()) {
            throw new IllegalArgumentException("field '" + key + "' is missing or not a string");
        }
        return child.asText();
    }

    private static String optionalText(JsonNode node, String key, String fallback) {
        JsonNode child = node.get(key);
        return child == null || child.isNull() ? fallback : child.asText();
    }

    private static double number(JsonNode node, String key, String prefix) {
        JsonNode child = node.get(key);
        if (child == null || !child.isNumber()) {
            throw new IllegalArgumentException("field '" + prefix + key + "' is missing or not a number");
        }
        return child.asDouble();
    }

    private static int integer(JsonNode node, String key, String prefix) {
        JsonNode child = node.get(key);
        if (child == null || !child.canConvertToInt() || !child.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + prefix + key + "' is missing or not an integer");
        }
        return child.asInt();
    }

    /** A profile file that cannot be used; the message names the file and the field. */
    public static final class ProfileFormatException extends IllegalArgumentException {
        ProfileFormatException(String message) {
            super(message);
        }
    }
}
