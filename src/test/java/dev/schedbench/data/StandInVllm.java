package dev.schedbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stand-in {@code vllm} Python package (LLM.generate, SamplingParams; deterministic, no GPU) for tests. */
public final class StandInVllm {

    private StandInVllm() {}

    /** Writes the package into {@code root/vllm} and returns {@code root}, the folder to put on PYTHONPATH. */
    public static Path writeTo(Path root) throws IOException {
        Path pkg = Files.createDirectories(root.resolve("vllm"));
        try (InputStream in = StandInVllm.class.getResourceAsStream("/data/fake-vllm/__init__.py")) {
            Files.copy(in, pkg.resolve("__init__.py"));
        }
        return root;
    }
}
