package dev.schedbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.RunEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenTest {

    @TempDir
    Path dir;

    static boolean anyMention(List<RunEvent> events, String secret) {
        return events.stream().anyMatch(e -> e.toString().contains(secret));
    }

    @Test
    void environmentVariableWinsThenWorkspaceFileThenHuggingFaceCliFile() throws IOException {
        Path workspace = dir.resolve("ws");
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_fromCli\n");
        assertEquals("hf_fromCli", HfToken.find("HF_TOKEN", Map.of(), workspace, home).orElseThrow().value());

        HfToken.saveToWorkspace(workspace, "hf_fromWorkspace");
        HfToken fromWorkspace = HfToken.find("HF_TOKEN", Map.of(), workspace, home).orElseThrow();
        assertEquals("hf_fromWorkspace", fromWorkspace.value());
        assertTrue(fromWorkspace.source().contains("hf-token"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(workspace.resolve("hf-token"))));

        HfToken fromEnv = HfToken.find("MY_TOKEN", Map.of("MY_TOKEN", " hf_fromEnv "), workspace, home).orElseThrow();
        assertEquals("hf_fromEnv", fromEnv.value());
        assertEquals("environment variable MY_TOKEN", fromEnv.source());
    }

    @Test
    void huggingFaceCliLocationsFollowItsEnvironmentVariables() throws IOException {
        Path hfHome = dir.resolve("hfhome");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "hf_inHfHome");
        Map<String, String> env = Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN", "  ");
        assertEquals("hf_inHfHome", HfToken.find("HF_TOKEN", env, dir.resolve("ws"), dir).orElseThrow().value());

        Path explicit = dir.resolve("explicit-token");
        Files.writeString(explicit, "hf_explicit");
        assertEquals("hf_explicit", HfToken.find("HF_TOKEN", Map.of("HF_TOKEN_PATH", explicit.toString(), "HF_HOME", hfHome.toString()),
                dir.resolve("ws"), dir).orElseThrow().value());
    }

    @Test
    void noneAnywhereIsEmpty() {
        assertTrue(HfToken.find("HF_TOKEN", Map.of(), dir.resolve("ws"), dir.resolve("home")).isEmpty());
    }

    @Test
    void printingATokenNeverShowsIt() {
        HfToken token = new HfToken("hf_secretValue", "environment variable HF_TOKEN");
        assertFalse(token.toString().contains("hf_secretValue"));
        assertTrue(token.toString().contains("HF_TOKEN"));
    }
}
