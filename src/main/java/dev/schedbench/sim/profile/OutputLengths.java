package dev.schedbench.sim.profile;

import java.nio.charset.StandardCharsets;

/**
 * The natural output length of a prompt: a deterministic draw from the profile's distribution, keyed by
 * (profile name, prompt text, seed). Making an oracle dataset against the simulator and later replaying
 * it therefore gives the same lengths.
 */
public final class OutputLengths {

    private final OutputLengthDistribution distribution;
    private final long key;

    public OutputLengths(Profile profile, long seed) {
        this.distribution = profile.outputLength();
        this.key = mix(fnv1a(profile.name().getBytes(StandardCharsets.UTF_8)) ^ mix(seed + 0x9E3779B97F4A7C15L));
    }

    /** The length at which this prompt would end by itself (end of sequence), before {@code max_tokens}. */
    public int naturalLength(String prompt) {
        long h = mix(key ^ fnv1a(prompt.getBytes(StandardCharsets.UTF_8)));
        long h2 = mix(h + 0x9E3779B97F4A7C15L);
        // Box–Muller on two 53-bit uniforms; u1 in (0, 1] keeps the log finite.
        double u1 = ((h >>> 11) + 1) * 0x1.0p-53;
        double u2 = (h2 >>> 11) * 0x1.0p-53;
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return distribution.lengthAt(z);
    }

    private static long fnv1a(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
