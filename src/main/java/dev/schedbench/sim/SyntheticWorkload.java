package dev.schedbench.sim;

import dev.schedbench.sim.profile.OutputLengths;
import dev.schedbench.sim.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * A synthetic open-loop workload for virtual runs: Poisson arrivals at {@code rateRps}, lognormal prompt
 * lengths, natural output lengths from the profile (as the engine will produce them) cut at
 * {@code maxTokens}, and optionally the exact output length as priority (the seed's oracle).
 *
 * @param requests       how many requests
 * @param rateRps        mean arrival rate; infinity sends everything at time 0
 * @param promptMedian   median prompt length in tokens
 * @param promptSigma    log-space standard deviation of prompt lengths
 * @param maxPromptTokens longest prompt
 * @param maxTokens      {@code max_tokens} of every request
 * @param priorities     whether requests carry their oracle output length as priority
 * @param seed           seed of the arrival times and prompt lengths
 */
public record SyntheticWorkload(
        int requests, double rateRps, double promptMedian, double promptSigma, int maxPromptTokens, int maxTokens,
        Priorities priorities, long seed) {

    /** Where priorities come from. */
    public enum Priorities {
        NONE,
        /** The request's own output length, as the seed's oracle dataset gives it. */
        ORACLE
    }

    public SyntheticWorkload {
        if (requests < 0 || !(rateRps > 0) || !(promptMedian >= 1) || !(promptSigma >= 0) || maxPromptTokens < 1
                || maxTokens < 1) {
            throw new IllegalArgumentException("bad synthetic workload " + requests + " requests at " + rateRps + "/s");
        }
    }

    /** The arrivals, with output lengths as an engine with this profile and engine seed will produce them. */
    public List<Arrival> arrivals(Profile profile, long engineSeed) {
        OutputLengths lengths = new OutputLengths(profile, engineSeed);
        SplittableRandom random = new SplittableRandom(seed);
        List<Arrival> out = new ArrayList<>(requests);
        double clockSeconds = 0;
        for (int i = 0; i < requests; i++) {
            if (!Double.isInfinite(rateRps)) {
                clockSeconds += -Math.log(1.0 - random.nextDouble()) / rateRps;
            }
            double z = Math.sqrt(-2 * Math.log(1.0 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            int prompt = (int) Math.max(1, Math.min(maxPromptTokens, Math.round(promptMedian * Math.exp(promptSigma * z))));
            String text = "synthetic request " + i + " of workload " + seed;
            int output = Math.min(maxTokens, lengths.naturalLength(text));
            long priority = priorities == Priorities.ORACLE ? output : 0;
            SimRequest request = new SimRequest("req-" + i, text, prompt, maxTokens, priority, false, OptionalLong.empty());
            out.add(new Arrival(Math.round(clockSeconds * 1e9), request));
        }
        return out;
    }
}
