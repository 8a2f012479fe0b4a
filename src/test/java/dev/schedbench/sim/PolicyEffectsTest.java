package dev.schedbench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.sim.profile.MemoryModel;
import dev.schedbench.sim.profile.Profile;
import dev.schedbench.sim.profile.Profiles;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The policy effects of research/simulation.md §5 table 6 (a Python prototype of the same design):
 * Poisson arrivals, lognormal prompts (median 148) and outputs (median 100), priority = exact oracle
 * output length. The engine must order the policies the same way by mean end-to-end latency, and each
 * policy's gain over fcfs, {@code 1 − mean/mean_fcfs}, must be within ±50 % of the table's, or within
 * ±15 points where the table's gain is small (|gain| < 30 %): there ±50 % is narrower than the noise
 * of one 4000-request run. The one case that needs the floor is priority-round-robin-reverse under KV
 * pressure (table −13 %, engine −3 %: both a little worse than fcfs).
 */
class PolicyEffectsTest {

    private static final Profile LLAMA_8B = Profiles.find("meta-llama/Meta-Llama-3-8B").orElseThrow();

    record Outcome(double meanSeconds, double p99Seconds, long preemptions) {}

    private static Map<Policy, Outcome> runAll(Profile profile, String model, double rate, int maxTokens, int maxPrompt) {
        Map<Policy, Outcome> out = new EnumMap<>(Policy.class);
        for (Policy policy : Policy.values()) {
            ServerConfig config = new ServerConfig(model, policy, 256, OptionalInt.empty(), OptionalInt.empty(), 16, 4,
                    0.9, Optional.of(false), 30, 0, Optional.empty(), 1.0);
            List<Arrival> arrivals = new SyntheticWorkload(4000, rate, 148, 0.8, maxPrompt, maxTokens,
                    policy.priorityAware() ? SyntheticWorkload.Priorities.ORACLE : SyntheticWorkload.Priorities.NONE, 1)
                    .arrivals(profile, 0);
            VirtualResult r = SimEngines.virtual(config, profile).withTokenTimes(TokenTimes.ENDPOINTS).run(arrivals);
            double[] e2e = r.requests().stream().mapToDouble(t -> t.e2eNanos() / 1e9).sorted().toArray();
            double mean = java.util.Arrays.stream(e2e).average().orElseThrow();
            out.put(policy, new Outcome(mean, e2e[(int) Math.ceil(0.99 * e2e.length) - 1], r.preemptions()));
        }
        return out;
    }

    private static void assertLikeTable(Map<Policy, Outcome> sim, Map<Policy, Double> tableMeans) {
        List<Policy> simOrder = tableMeans.keySet().stream()
                .sorted(Comparator.comparingDouble(p -> sim.get(p).meanSeconds())).toList();
        List<Policy> tableOrder = tableMeans.keySet().stream().sorted(Comparator.comparingDouble(tableMeans::get)).toList();
        assertEquals(tableOrder, simOrder, "policies ordered by mean E2E: " + sim);
        double simFcfs = sim.get(Policy.FCFS).meanSeconds();
        double tableFcfs = tableMeans.get(Policy.FCFS);
        for (Policy policy : tableMeans.keySet()) {
            double tableGain = 1 - tableMeans.get(policy) / tableFcfs;
            double simGain = 1 - sim.get(policy).meanSeconds() / simFcfs;
            double tolerance = Math.max(0.5 * Math.abs(tableGain), 0.15);
            assertEquals(tableGain, simGain, tolerance, policy + " gain over fcfs: " + sim);
        }
    }

    /** gpt2 at 300 requests/s, about 1.5 times capacity; KV never binds, the full batch triggers preemption. */
    @Test
    void gpt2AboveCapacity() {
        Map<Policy, Outcome> sim = runAll(Profiles.find("gpt2").orElseThrow(), "gpt2", 300, 256, 768);
        assertLikeTable(sim, Map.of(Policy.FCFS, 4.8, Policy.PRIORITY, 3.1, Policy.PRIORITY_ROUND_ROBIN, 3.3,
                Policy.ROUND_ROBIN, 5.2, Policy.PRIORITY_ROUND_ROBIN_REVERSE, 4.3));
        assertTrue(sim.get(Policy.PRIORITY).p99Seconds() > sim.get(Policy.FCFS).p99Seconds(), "SJF starves long jobs");
        assertTrue(sim.get(Policy.PRIORITY_ROUND_ROBIN).preemptions() > sim.get(Policy.PRIORITY).preemptions(),
                "the quantum preempts more often than strict priority");
        assertEquals(0, sim.get(Policy.FCFS).preemptions());
    }

    /** Llama-3-8B with 3000 KV blocks at 70 requests/s (about 1.7 times capacity): every preemption is a recompute. */
    @Test
    void llama8bUnderKvPressure() {
        Profile small = LLAMA_8B.withMemory(new MemoryModel(79.19, 14.96, 1.5, 131072, OptionalInt.of(3000)));
        Map<Policy, Outcome> sim = runAll(small, LLAMA_8B.name(), 70, 2048, 4096);
        assertLikeTable(sim, Map.of(Policy.FCFS, 23.4, Policy.PRIORITY, 11.6, Policy.PRIORITY_ROUND_ROBIN, 16.9,
                Policy.ROUND_ROBIN, 51.0, Policy.PRIORITY_ROUND_ROBIN_REVERSE, 26.4));
        assertTrue(sim.get(Policy.FCFS).preemptions() > 0, "KV pressure preempts even under fcfs");
    }

    /** Below capacity with ample KV there is no queue: every policy gives the same latencies. */
    @Test
    void policiesAreIdenticalBelowCapacity() {
        Map<Policy, Outcome> sim = runAll(LLAMA_8B, LLAMA_8B.name(), 20, 2048, 4096);
        for (Policy policy : Policy.values()) {
            assertEquals(sim.get(Policy.FCFS).meanSeconds(), sim.get(policy).meanSeconds(), 1e-9, policy.toString());
            assertEquals(0, sim.get(policy).preemptions());
        }
    }
}
