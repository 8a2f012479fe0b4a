package dev.schedbench.sim;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.sim.profile.Profile;
import dev.schedbench.sim.profile.Profiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Virtual-time speed of the engine (excluded from the default build; see docs/benchmarks.md,
 * section Simulator). Prints simulated output tokens per CPU second for a 100,000-request sweep point.
 */
@Tag("benchmark")
class SimulatorBenchmarkTest {

    private static final int REQUESTS = 100_000;

    @Test
    void virtualTimeThroughput() {
        Profile gpt2 = Profiles.find("gpt2").orElseThrow();
        for (Policy policy : List.of(Policy.FCFS, Policy.PRIORITY, Policy.PRIORITY_ROUND_ROBIN)) {
            ServerConfig config = ServerConfig.defaults("gpt2", policy);
            List<Arrival> arrivals = new SyntheticWorkload(REQUESTS, 300, 148, 0.8, 768, 256,
                    policy.priorityAware() ? SyntheticWorkload.Priorities.ORACLE : SyntheticWorkload.Priorities.NONE, 1)
                    .arrivals(gpt2, config.seed());
            for (TokenTimes detail : TokenTimes.values()) {
                VirtualEngine engine = SimEngines.virtual(config, gpt2).withTokenTimes(detail);
                engine.run(arrivals.subList(0, 20_000));
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long best = Long.MAX_VALUE;
                long bestCpu = Long.MAX_VALUE;
                VirtualResult result = null;
                for (int i = 0; i < 3; i++) {
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    result = engine.run(arrivals);
                    best = Math.min(best, System.nanoTime() - t0);
                    bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - cpu0);
                }
                System.out.printf(Locale.ROOT,
                        "simulator %-22s %-9s %,d requests, %,d output tokens, %,d steps, %.1f s simulated: "
                                + "%.3f s wall (%.1f M tokens/s, %.0f k steps/s), %.3f s thread CPU (%.1f M tokens/s)%n",
                        policy, detail, REQUESTS, result.outputTokens(), result.steps().size(),
                        result.durationNanos() / 1e9, best / 1e9, result.outputTokens() / (best / 1e9) / 1e6,
                        result.steps().size() / (best / 1e9) / 1e3, bestCpu / 1e9,
                        result.outputTokens() / (bestCpu / 1e9) / 1e6);
            }
        }
    }
}
