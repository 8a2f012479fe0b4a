package dev.schedbench.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.sim.profile.EngineGeneration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policies' own behaviour, each in the smallest scenario that shows it. Plenty of KV blocks unless noted. */
class PolicySchedulingTest {

    private static Harness harness(Policy policy, int maxNumSeqs) {
        return new Harness(Harness.settings(policy, maxNumSeqs, 2048, 1024, 16, 10_000, 100));
    }

    private static Harness harness(Policy policy, int maxNumSeqs, int quantum) {
        EngineSettings s = Harness.settings(policy, maxNumSeqs, 2048, 1024, 16, 10_000, 100);
        return new Harness(Harness.with(s, EngineGeneration.V0, false, PreemptionMode.AUTO, quantum));
    }

    /** vLLM priority: a better request arriving at a full batch preempts the worst running one. */
    @Test
    void priorityPreemptsWhenTheBatchIsFull() {
        Harness h = harness(Policy.PRIORITY, 2);
        h.add("a", 10, 100, 5).add("b", 10, 100, 6);
        assertEquals(List.of("a", "b"), h.step().scheduled());
        h.add("c", 10, 100, 1);
        Harness.Step step = h.step();
        assertEquals(List.of("a"), step.scheduled(), "b made room for c; a decodes");
        assertEquals(List.of("b"), h.preempted);
        assertEquals(List.of("c", "b"), h.waiting());
        assertEquals(List.of("c"), h.step().scheduled(), "c is prefilled next");
        assertEquals(List.of("a", "c"), h.running());
    }

    @Test
    void fcfsNeverPreemptsForAWaitingRequest() {
        Harness h = harness(Policy.FCFS, 2);
        h.add("a", 10, 50).add("b", 10, 50);
        h.step();
        h.add("c", 10, 5);
        for (int i = 0; i < 49; i++) {
            assertEquals(List.of("a", "b"), h.step().scheduled());
        }
        assertEquals(List.of(), h.preempted);
        assertEquals(List.of("c"), h.step().scheduled());
    }

    /** Equal or worse waiting requests never preempt under priority. */
    @Test
    void priorityDoesNotPreemptWithoutInversion() {
        Harness h = harness(Policy.PRIORITY, 1);
        h.add("a", 10, 20, 3);
        h.step();
        h.add("b", 10, 5, 3).add("c", 10, 5, 9);
        h.drain();
        assertEquals(List.of(), h.preempted);
    }

    /**
     * Lazy sort: the waiting queue is sorted only on steps without prefills, after the head was
     * examined. A better request behind an older waiter preempts one step later than it could.
     */
    @Test
    void prioritySortsTheWaitingQueueLazily() {
        Harness h = harness(Policy.PRIORITY, 1);
        h.add("a", 10, 100, 5);
        h.step();
        h.add("b", 10, 100, 9).add("c", 10, 100, 1);
        assertEquals(List.of("b", "c"), h.waiting(), "arrival order until the next sort");
        Harness.Step first = h.step();
        assertEquals(List.of("a"), first.scheduled(), "head b (9) is worse than a (5): no preemption yet");
        assertEquals(List.of(), h.preempted);
        assertEquals(List.of("c", "b"), h.waiting(), "sorted at the end of the hook");
        Harness.Step second = h.step();
        assertEquals(List.of(), second.scheduled(), "now c heads the queue and preempts a");
        assertEquals(List.of("a"), h.preempted);
        assertEquals(List.of("c", "a", "b"), h.waiting());
        assertEquals(List.of("c"), h.step().scheduled());
    }

    /** The seed's quantum: a running request becomes a victim only after steps_before_preemption steps. */
    @Test
    void priorityRoundRobinPreemptsOnlyAfterTheQuantum() {
        Harness h = harness(Policy.PRIORITY_ROUND_ROBIN, 1, 30);
        h.add("a", 10, 1000, 100);
        h.step();
        h.add("b", 10, 10, 1);
        int steps = 1;
        while (h.preempted.isEmpty()) {
            Harness.Step step = h.step();
            steps++;
            if (h.preempted.isEmpty()) {
                assertEquals(List.of("a"), step.scheduled());
            }
        }
        assertEquals(31, steps, "a ran its admission step plus 30 steps, then was preempted in the 31st");
        assertEquals(List.of("b", "a"), h.waiting(), "the victim goes to the back");
        assertEquals(List.of("b"), h.step().scheduled());
    }

    @Test
    void defaultQuantumIsThirty() {
        assertEquals(30, dev.schedbench.model.ServerConfig.defaults("gpt2", Policy.PRIORITY_ROUND_ROBIN)
                .stepsBeforePreemption());
    }

    /** The seed's victims are chosen by quantum only: even a better running request is preempted for the head. */
    @Test
    void priorityRoundRobinMayPreemptABetterRequest() {
        Harness h = harness(Policy.PRIORITY_ROUND_ROBIN, 1, 3);
        h.add("short", 10, 1000, 1);
        h.step();
        h.add("long", 10, 1000, 500);
        for (int i = 0; i < 3; i++) {
            h.step();
        }
        assertEquals(List.of("short"), h.preempted);
        assertEquals(List.of("long"), h.step().scheduled());
    }

    /**
     * The seed's waiting order: (priority, -waiting_time). Among equal priorities the request that has
     * waited longest comes first, even if it arrived later than one that re-entered the queue since.
     */
    @Test
    void priorityRoundRobinBreaksPriorityTiesByWaitingTime() {
        Harness h = harness(Policy.PRIORITY_ROUND_ROBIN, 1, 2);
        h.add("x", 10, 1000, 4);
        h.step();
        h.add("w", 10, 1000, 1).add("z", 10, 1000, 4);
        h.step();
        h.step();
        assertEquals(List.of("x"), h.preempted);
        assertEquals(List.of("w", "z", "x"), h.waiting(), "the victim is appended after the sorted queue");
        assertEquals(List.of("w"), h.step().scheduled());
        h.step();
        assertEquals(List.of("z", "x"), h.waiting(), "z has waited since step 1, x only since step 2");
    }

    /** Round robin keeps FCFS order, so victims queued at the back are served after everyone already waiting. */
    @Test
    void roundRobinRequeuesVictimsAtTheTail() {
        Harness h = harness(Policy.ROUND_ROBIN, 1, 3);
        h.add("a", 10, 1000);
        h.step();
        h.add("b", 10, 1000).add("c", 10, 1000);
        for (int i = 0; i < 3; i++) {
            h.step();
        }
        assertEquals(List.of("a"), h.preempted);
        assertEquals(List.of("b", "c", "a"), h.waiting());
        assertEquals(List.of("b"), h.step().scheduled());
        for (int i = 0; i < 3; i++) {
            h.step();
        }
        assertEquals(List.of("a", "b"), h.preempted);
        assertEquals(List.of("c", "a", "b"), h.waiting());
    }

    /** The reverse variant sorts longest-waiting first and breaks ties by priority. */
    @Test
    void priorityRoundRobinReverseServesTheLongestWaitingFirst() {
        Harness h = harness(Policy.PRIORITY_ROUND_ROBIN_REVERSE, 1, 2);
        h.add("runner", 10, 1000, 7);
        h.step();
        h.add("old", 10, 5, 9);
        h.step();
        h.add("young", 10, 5, 1);
        h.step();
        assertEquals(List.of("runner"), h.preempted);
        assertEquals(List.of("old", "young", "runner"), h.waiting());
    }

    /** Issue #10101: with chunked prefill, V0 never sorts the waiting queue, so priorities do nothing. */
    @Test
    void chunkedPrefillIgnoresPriority() {
        for (boolean chunked : new boolean[] {false, true}) {
            EngineSettings s = Harness.with(Harness.settings(Policy.PRIORITY, 1, 512, 1024, 16, 10_000, 100),
                    EngineGeneration.V0, chunked, PreemptionMode.AUTO, 30);
            Harness h = new Harness(s);
            h.add("a", 10, 5, 5);
            h.step();
            h.add("b", 10, 5, 9).add("c", 10, 5, 1);
            List<String> admitted = new java.util.ArrayList<>();
            while (h.core.hasRequests()) {
                Harness.Step step = h.step();
                for (String name : step.scheduled()) {
                    if (!admitted.contains(name) && !name.equals("a")) {
                        admitted.add(name);
                    }
                }
            }
            assertEquals(chunked ? List.of("b", "c") : List.of("c", "b"), admitted, "chunked=" + chunked);
            assertEquals(chunked ? List.of() : List.of("a"), h.preempted, "chunked=" + chunked);
        }
    }

    /** Chunked prefill splits a long prompt over steps and schedules decodes first. */
    @Test
    void chunkedPrefillMixesDecodesWithPrefillChunks() {
        EngineSettings s = Harness.with(Harness.settings(Policy.FCFS, 8, 64, 1024, 16, 10_000, 100),
                EngineGeneration.V0, true, PreemptionMode.AUTO, 30);
        Harness h = new Harness(s);
        h.add("a", 10, 50);
        assertEquals(10, h.step().tokens());
        h.add("b", 150, 5);
        Harness.Step first = h.step();
        assertEquals(List.of("a", "b"), first.scheduled());
        assertEquals(64, first.tokens(), "one decode plus a 63-token chunk");
        assertEquals(0, h.produced.getOrDefault("b", 0), "a partial prefill emits nothing");
        h.step();
        Harness.Step third = h.step();
        assertEquals(1 + 24, third.tokens(), "the rest of b's prompt: 150 - 63 - 63");
        assertEquals(1, h.produced.get("b"), "the last chunk samples b's first token");
    }

    /** V1: a better waiting request does not preempt a full batch, but the waiting queue is a priority heap. */
    @Test
    void v1OrdersByPriorityWithoutPreemptingAFullBatch() {
        EngineSettings s = Harness.with(Harness.settings(Policy.PRIORITY, 1, 512, 1024, 16, 10_000, 100),
                EngineGeneration.V1, true, PreemptionMode.AUTO, 30);
        Harness h = new Harness(s);
        h.add("a", 10, 20, 5);
        h.step();
        h.add("b", 10, 5, 9).add("c", 10, 5, 1);
        List<String> order = new java.util.ArrayList<>();
        while (h.core.hasRequests()) {
            for (String name : h.step().scheduled()) {
                if (!order.contains(name)) {
                    order.add(name);
                }
            }
        }
        assertEquals(List.of("a", "c", "b"), order);
        assertEquals(List.of(), h.preempted);
    }

    /** V1 under KV pressure: the victim is the worst (priority, arrival) running request, recomputed. */
    @Test
    void v1PreemptsTheWorstPriorityOnBlockShortage() {
        EngineSettings s = Harness.with(Harness.settings(Policy.PRIORITY, 4, 64, 64, 4, 4, 0),
                EngineGeneration.V1, true, PreemptionMode.AUTO, 30);
        Harness h = new Harness(s);
        h.add("worst", 4, 10, 9).add("best", 4, 10, 1);
        h.drain();
        assertTrue(h.preempted.contains("worst"), h.preempted.toString());
        assertTrue(!h.preempted.contains("best"));
    }
}
