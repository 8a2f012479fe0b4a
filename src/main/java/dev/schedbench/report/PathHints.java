package dev.schedbench.report;

import dev.schedbench.model.Policy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a result file's name and folders say about it, in the seed's layout
 * {@code data/<model>/<output len>/[<N>/]<policy>_<l|tp|o>.json} (the model with its first {@code /}
 * written as {@code _}, e.g. {@code facebook_opt-125m}). Used only where the file itself is silent.
 *
 * @param policy    the longest run of {@code _}-separated name parts that spells a policy
 * @param kind      {@code latency} for {@code _l}/{@code latency}, {@code throughput} for {@code _tp}/{@code throughput},
 *                  {@code serve} for {@code _o}
 * @param model     the model folder, when the folders follow the seed's layout
 * @param outputLen the numeric folder right under the model folder
 */
record PathHints(Optional<Policy> policy, Optional<String> kind, Optional<String> model, OptionalInt outputLen) {

    static PathHints of(Path file) {
        String name = file.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        List<String> parts = Arrays.asList(stem.split("[_\\s]+"));
        return new PathHints(policyIn(parts), kindIn(parts), modelFolder(file), outputLenFolder(file));
    }

    private static Optional<Policy> policyIn(List<String> parts) {
        for (int length = parts.size(); length >= 1; length--) {
            for (int from = 0; from + length <= parts.size(); from++) {
                String candidate = String.join("_", parts.subList(from, from + length));
                try {
                    return Optional.of(Policy.parse(candidate));
                } catch (IllegalArgumentException notAPolicy) {
                    // keep looking
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> kindIn(List<String> parts) {
        String last = parts.getLast().toLowerCase(Locale.ROOT);
        return switch (last) {
            case "l", "latency" -> Optional.of("latency");
            case "tp", "throughput" -> Optional.of("throughput");
            case "o", "online", "serving" -> Optional.of("serve");
            default -> Optional.empty();
        };
    }

    private static Optional<String> modelFolder(Path file) {
        Path absolute = file.toAbsolutePath();
        Path p1 = absolute.getParent();
        if (p1 == null || !numeric(p1)) {
            return Optional.empty();
        }
        Path p2 = p1.getParent();
        if (p2 == null || p2.getFileName() == null) {
            return Optional.empty();
        }
        Path modelDir = p2;
        if (numeric(p2)) {
            modelDir = p2.getParent();
            if (modelDir == null || modelDir.getFileName() == null || numeric(modelDir)) {
                return Optional.empty();
            }
        }
        String folder = modelDir.getFileName().toString();
        int underscore = folder.indexOf('_');
        return Optional.of(underscore > 0 ? folder.substring(0, underscore) + "/" + folder.substring(underscore + 1) : folder);
    }

    private static OptionalInt outputLenFolder(Path file) {
        Path p1 = file.toAbsolutePath().getParent();
        if (p1 == null || !numeric(p1)) {
            return OptionalInt.empty();
        }
        Path p2 = p1.getParent();
        Path lenDir = p2 != null && numeric(p2) ? p2 : p1;
        return OptionalInt.of(Integer.parseInt(lenDir.getFileName().toString()));
    }

    private static boolean numeric(Path dir) {
        Path name = dir.getFileName();
        return name != null && name.toString().matches("\\d{1,9}");
    }
}
