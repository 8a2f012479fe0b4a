package dev.schedbench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.sim.engine.EngineListener;
import dev.schedbench.sim.engine.EngineOptions;
import dev.schedbench.sim.engine.EngineSettings;
import dev.schedbench.sim.engine.FinishReason;
import dev.schedbench.sim.engine.PreemptionMode;
import dev.schedbench.sim.engine.StepView;
import dev.schedbench.sim.profile.EngineGeneration;
import dev.schedbench.sim.profile.MemoryModel;
import dev.schedbench.sim.profile.OutputLengths;
import dev.schedbench.sim.profile.Profile;
import dev.schedbench.sim.profile.Profiles;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Properties that hold on every step of every run, checked by an observer, across policies and engine modes. */
class EngineInvariantsTest {

    private static final Profile GPT2 = Profiles.find("gpt2").orElseThrow();
    /** gpt2 with a KV cache small enough that blocks bind and preemptions happen. */
    private static final Profile TIGHT = GPT2.withMemory(new MemoryModel(79.19, 0.232, 1.5, 36864, OptionalInt.of(700)));

    /** Fails the test at the first step that breaks a scheduler invariant. */
    static final class InvariantChecker implements EngineListener {
        int steps;
        int preemptions;
        long tokens;

        @Override
        public void onStep(StepView step) {
            EngineSettings s = step.settings();
            steps++;
            preemptions += step.preemptions();
            assertTrue(step.usedGpuBlocks() <= step.totalGpuBlocks(), "blocks over capacity at step " + step.index());
            assertEquals(step.usedGpuBlocks(), step.blocksHeldByRequests(), "block accounting at step " + step.index());
            assertTrue(step.usedCpuBlocks() <= s.numCpuBlocks(), "swap over capacity");
            assertTrue(step.tokens() <= s.maxNumBatchedTokens(), "token budget at step " + step.index());
            assertTrue(step.seqs() <= s.maxNumSeqs(), "max_num_seqs at step " + step.index());
            assertTrue(step.running() <= s.maxNumSeqs(), "running queue over max_num_seqs");
            assertTrue(step.durationNanos() > 0, "time advances");
            if (!s.chunkedPrefill()) {
                assertTrue(step.prefillSeqs() == 0 || step.decodeSeqs() == 0,
                        "a V0 step is all prefill or all decode, step " + step.index());
            }
        }

        @Override
        public void onToken(int slot, int index, long timeNanos) {
            tokens++;
        }

        @Override
        public void onFinished(int slot, FinishReason reason, long timeNanos) {}
    }

    static Stream<Arguments> modes() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (Policy policy : Policy.values()) {
            out.add(Arguments.of(policy, EngineGeneration.V0, Optional.of(false), PreemptionMode.AUTO));
            out.add(Arguments.of(policy, EngineGeneration.V0, Optional.of(false), PreemptionMode.SWAP));
            out.add(Arguments.of(policy, EngineGeneration.V0, Optional.of(true), PreemptionMode.AUTO));
            out.add(Arguments.of(policy, EngineGeneration.V1, Optional.<Boolean>empty(), PreemptionMode.AUTO));
        }
        return out.build();
    }

    private static ServerConfig config(Policy policy, Optional<Boolean> chunked, long seed) {
        return new ServerConfig("gpt2", policy, 64, OptionalInt.empty(), OptionalInt.empty(), 16, 1, 0.9, chunked, 10,
                seed, Optional.empty(), 1.0);
    }

    @ParameterizedTest(name = "{0} {1} chunked={2} {3}")
    @MethodSource("modes")
    void everyStepKeepsTheInvariantsAndEveryRequestGetsItsLength(Policy policy, EngineGeneration generation,
            Optional<Boolean> chunked, PreemptionMode mode) {
        ServerConfig config = config(policy, chunked, 3);
        EngineOptions options = EngineOptions.defaults().withScheduler(generation).withPreemptionMode(mode);
        InvariantChecker checker = new InvariantChecker();
        VirtualEngine engine = SimEngines.virtual(config, TIGHT, options).observedBy(checker);
        List<Arrival> arrivals = new SyntheticWorkload(400, 120, 148, 0.8, 700, 300,
                policy.priorityAware() ? SyntheticWorkload.Priorities.ORACLE : SyntheticWorkload.Priorities.NONE, 11)
                .arrivals(TIGHT, 3);
        VirtualResult result = engine.run(arrivals);
        OutputLengths lengths = new OutputLengths(TIGHT, 3);
        long expectedTokens = 0;
        for (RequestTiming t : result.requests()) {
            SimRequest r = arrivals.get(t.index()).request();
            int natural = lengths.naturalLength(r.prompt());
            int expected = Math.min(natural, r.maxTokens());
            expectedTokens += expected;
            assertTrue(t.success(), t.toString());
            assertEquals(expected, t.outputTokens(), t.toString());
            assertEquals(natural <= r.maxTokens() ? "stop" : "length", t.finishReason());
            assertEquals(expected, t.tokens().size());
            for (int i = 1; i < t.tokens().size(); i++) {
                assertTrue(t.tokens().at(i) > t.tokens().at(i - 1), "token times increase");
            }
            assertTrue(t.firstTokenNanos() > t.arrivalNanos());
            assertEquals(t.tokens().at(0), t.firstTokenNanos());
            assertEquals(t.tokens().last(), t.finishNanos());
        }
        assertEquals(expectedTokens, result.outputTokens());
        assertEquals(expectedTokens, checker.tokens);
        assertEquals(result.steps().size(), checker.steps);
        assertEquals(result.preemptions(), checker.preemptions);
        if (generation == EngineGeneration.V0 && chunked.equals(Optional.of(false))) {
            assertTrue(result.preemptions() > 0, "the tight KV cache forces preemptions");
        }
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentLengths() {
        ServerConfig config = config(Policy.PRIORITY_ROUND_ROBIN, Optional.of(false), 5);
        List<Arrival> arrivals = new SyntheticWorkload(300, 150, 148, 0.8, 700, 300,
                SyntheticWorkload.Priorities.ORACLE, 2).arrivals(TIGHT, 5);
        VirtualResult first = SimEngines.virtual(config, TIGHT).run(arrivals);
        VirtualResult second = SimEngines.virtual(config, TIGHT).run(arrivals);
        assertEquals(first.requests(), second.requests());
        assertEquals(first.durationNanos(), second.durationNanos());
        VirtualResult otherSeed = SimEngines.virtual(config(Policy.PRIORITY_ROUND_ROBIN, Optional.of(false), 6), TIGHT)
                .run(arrivals);
        assertNotEquals(first.outputTokens(), otherSeed.outputTokens());
    }

    /** Little's law: the time-average number in the system equals throughput times mean latency. */
    @Test
    void littlesLawHoldsOnALongRun() {
        ServerConfig full = new ServerConfig("gpt2", Policy.FCFS, 256, OptionalInt.empty(), OptionalInt.empty(), 16, 4,
                0.9, Optional.empty(), 30, 1, Optional.empty(), 1.0);
        List<Arrival> arrivals = new SyntheticWorkload(20_000, 170, 148, 0.8, 768, 256,
                SyntheticWorkload.Priorities.NONE, 9).arrivals(GPT2, 1);
        VirtualResult result = SimEngines.virtual(full, GPT2).withTokenTimes(TokenTimes.ENDPOINTS).run(arrivals);
        StepTrace steps = result.steps();
        double areaNanos = 0;
        for (int i = 0; i < steps.size(); i++) {
            areaNanos += (double) (steps.waiting(i) + steps.running(i) + steps.swapped(i)) * steps.durationNanos(i);
        }
        double sumLatency = result.requests().stream().mapToDouble(RequestTiming::e2eNanos).sum();
        double meanInSystem = areaNanos / result.durationNanos();
        double lambda = arrivals.size() / (result.durationNanos() / 1e9);
        double meanLatencySeconds = sumLatency / arrivals.size() / 1e9;
        assertTrue(meanInSystem > 20, "a busy system: " + meanInSystem);
        assertEquals(lambda * meanLatencySeconds, meanInSystem, 0.03 * meanInSystem, "L = lambda W");
    }
}
