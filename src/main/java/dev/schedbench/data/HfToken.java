package dev.schedbench.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face access token and where it came from. The value only ever goes into an
 * {@code Authorization} header: {@link #toString()} hides it, and messages name the {@link #source()}.
 *
 * @param value  the token
 * @param source where it was found, for messages (e.g. "environment variable HF_TOKEN")
 */
public record HfToken(String value, String source) {

    /** File in the workspace where the desktop app's settings keep the token (one line, owner-only). */
    public static final String WORKSPACE_FILE = "hf-token";

    public HfToken {
        value = value.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty Hugging Face token");
        }
    }

    /**
     * Looks for a token, first found wins: the environment variable {@code envVar}; the workspace's
     * {@value #WORKSPACE_FILE} file; the token file {@code huggingface-cli login} writes
     * ({@code $HF_TOKEN_PATH}, else {@code $HF_HOME/token}, else {@code ~/.cache/huggingface/token}).
     */
    public static Optional<HfToken> find(String envVar, Map<String, String> env, Path workspaceRoot, Path home) {
        String fromEnv = env.getOrDefault(envVar, "");
        if (!fromEnv.isBlank()) {
            return Optional.of(new HfToken(fromEnv, "environment variable " + envVar));
        }
        Optional<HfToken> fromWorkspace = readFile(workspaceRoot.resolve(WORKSPACE_FILE));
        if (fromWorkspace.isPresent()) {
            return fromWorkspace;
        }
        Path cliFile = Optional.ofNullable(env.get("HF_TOKEN_PATH")).filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> Optional.ofNullable(env.get("HF_HOME")).filter(s -> !s.isBlank()).map(Path::of)
                        .orElseGet(() -> home.resolve(".cache").resolve("huggingface"))
                        .resolve("token"));
        return readFile(cliFile);
    }

    /** Stores a token in the workspace, readable by its owner only where the file system allows. */
    public static Path saveToWorkspace(Path workspaceRoot, String token) {
        Path file = workspaceRoot.resolve(WORKSPACE_FILE);
        try {
            Files.createDirectories(workspaceRoot);
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, token.strip() + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<HfToken> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(new HfToken(text, "token file " + file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "HfToken[from " + source + "]";
    }
}
