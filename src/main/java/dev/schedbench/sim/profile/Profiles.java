package dev.schedbench.sim.profile;

import dev.schedbench.model.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The built-in profiles (JSON resources beside this class's package) and user profile files, and the
 * tolerant lookup of a model id: {@code gpt2}, {@code openai-community/gpt2} and {@code /models/gpt2}
 * all find the gpt2 profile.
 */
public final class Profiles {

    private static final String RESOURCE_DIR = "/dev/schedbench/sim/profiles/";
    private static final List<String> BUILT_IN_FILES = List.of(
            "gpt2.json", "opt-125m.json", "llama-3.2-1b.json", "llama-3-8b.json");
    private static final List<String> MODEL_SUFFIXES = List.of("-instruct", "-chat", "-hf");

    private static volatile List<Profile> builtIns;

    private Profiles() {}

    /** Every built-in profile, in a fixed order. */
    public static List<Profile> builtIn() {
        List<Profile> loaded = builtIns;
        if (loaded == null) {
            List<Profile> all = new ArrayList<>();
            for (String file : BUILT_IN_FILES) {
                try (InputStream in = Profiles.class.getResourceAsStream(RESOURCE_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException("built-in profile " + file + " is missing from the jar");
                    }
                    all.add(ProfileJson.read(in, "built-in profile " + file));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read built-in profile " + file, e);
                }
            }
            loaded = List.copyOf(all);
            builtIns = loaded;
        }
        return loaded;
    }

    /**
     * The profile for a server: {@code profileOption} (a built-in name or a JSON file) when given,
     * else the built-in profile matching {@code model}.
     */
    public static Profile resolve(String model, Optional<String> profileOption) {
        if (profileOption.isPresent()) {
            return byNameOrFile(profileOption.get());
        }
        return find(model).orElseThrow(() -> new UserError("no simulator profile for model '" + model
                + "'; built-in profiles: " + names() + ". Pass --profile with one of them or with a profile JSON file"
                + " (format in docs/simulator.md)"));
    }

    /** A built-in profile by name or alias, or a profile file when the text names an existing file or ends in .json. */
    public static Profile byNameOrFile(String nameOrPath) {
        String trimmed = nameOrPath.trim();
        Path path = Path.of(trimmed);
        if (trimmed.toLowerCase(Locale.ROOT).endsWith(".json") || Files.isRegularFile(path)) {
            return load(path);
        }
        return find(trimmed).orElseThrow(() -> new UserError("unknown simulator profile '" + nameOrPath
                + "'; built-in profiles: " + names() + ", or give the path of a profile JSON file"));
    }

    /** Reads a user profile file. */
    public static Profile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("profile file " + file + " does not exist; give an existing JSON file or a built-in profile: "
                    + names());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return ProfileJson.read(in, "profile file " + file);
        } catch (ProfileJson.ProfileFormatException e) {
            throw new UserError(e.getMessage() + " (format in docs/simulator.md)", e);
        } catch (IOException e) {
            throw new UserError("cannot read profile file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The built-in profile for a model id, tolerant of organisation prefixes, paths, case and -instruct/-chat/-hf suffixes. */
    public static Optional<Profile> find(String modelId) {
        List<String> candidates = candidates(modelId);
        for (String candidate : candidates) {
            for (Profile profile : builtIn()) {
                for (String key : keys(profile)) {
                    if (key.equals(candidate)) {
                        return Optional.of(profile);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Names of the built-in profiles, comma separated. */
    public static String names() {
        return String.join(", ", builtIn().stream().map(Profile::name).toList());
    }

    private static List<String> keys(Profile profile) {
        List<String> keys = new ArrayList<>();
        keys.add(normalize(profile.name()));
        keys.add(lastSegment(normalize(profile.name())));
        for (String alias : profile.aliases()) {
            keys.add(normalize(alias));
            keys.add(lastSegment(normalize(alias)));
        }
        return keys;
    }

    private static List<String> candidates(String modelId) {
        String full = normalize(modelId);
        List<String> out = new ArrayList<>(List.of(full, lastSegment(full)));
        for (String base : List.copyOf(out)) {
            for (String suffix : MODEL_SUFFIXES) {
                if (base.endsWith(suffix)) {
                    out.add(base.substring(0, base.length() - suffix.length()));
                }
            }
        }
        return out;
    }

    private static String normalize(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT).replace('\\', '/');
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String lastSegment(String id) {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }
}
