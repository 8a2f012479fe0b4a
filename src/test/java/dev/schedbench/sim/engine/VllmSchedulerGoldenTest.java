package dev.schedbench.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.sim.profile.EngineGeneration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of vLLM 0.6's {@code tests/core/test_scheduler.py}, replayed on the simulator's scheduler
 * with the same sizes (block size 4, a handful of blocks) and the same expected batches.
 */
class VllmSchedulerGoldenTest {

    /** {@code test_scheduler_schedule_simple}: all prompts in one prefill step, then one decode step for all. */
    @Test
    void scheduleSimple() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 4, 64, 16, 4, 8, 8));
        for (int i = 0; i < 4; i++) {
            h.add("" + i, 4, 5);
        }
        Harness.Step prefill = h.step();
        assertEquals(List.of("0", "1", "2", "3"), prefill.scheduled());
        assertEquals(16, prefill.tokens());
        assertEquals(4, prefill.prefills());
        Harness.Step decode = h.step();
        assertEquals(List.of("0", "1", "2", "3"), decode.scheduled());
        assertEquals(4, decode.tokens());
        assertEquals(0, decode.prefills());
    }

    /** {@code test_scheduler_prefill_prioritized}: a new prompt's prefill runs before the running request's decode. */
    @Test
    void prefillPrioritized() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 2, 30, 30, 4, 16, 16));
        h.add("a", 1, 10);
        assertEquals(List.of("a"), h.step().scheduled());
        h.add("b", 30, 10);
        assertEquals(List.of("b"), h.step().scheduled());
        assertEquals(List.of("a", "b"), h.step().scheduled());
    }

    /**
     * {@code test_scheduler_schedule_preempt_abort}: two blocks, two one-block prompts; decoding needs a
     * second block each, so the tail request is preempted by recomputation; after the head is aborted
     * the victim is prefilled again with its prompt plus the token it had produced.
     */
    @Test
    void preemptByRecomputeThenAbortFreesBlocks() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 2, 64, 16, 4, 2, 2));
        h.add("a", 4, 10).add("b", 4, 10);
        Harness.Step first = h.step();
        assertEquals(List.of("a", "b"), first.scheduled());
        assertEquals(8, first.tokens());
        Harness.Step second = h.step();
        assertEquals(List.of("a"), second.scheduled());
        assertEquals(1, second.tokens());
        assertEquals(1, second.preemptions());
        assertEquals(List.of("b"), h.waiting());
        assertEquals(0, h.freeBlocks());
        h.abort("a");
        assertEquals(2, h.freeBlocks());
        Harness.Step third = h.step();
        assertEquals(List.of("b"), third.scheduled());
        assertEquals(5, third.tokens(), "prompt plus the one generated token");
        assertEquals(1, third.prefills());
        assertEquals(2, h.produced.get("b"), "the recomputation emits the next token, nothing is re-sent");
    }

    /** {@code test_scheduler_max_seqs}: with max_num_seqs 2 and one running, only one more prompt is admitted. */
    @Test
    void maxSeqs() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 2, 64, 16, 4, 8, 8));
        h.add("0", 4, 10);
        assertEquals(List.of("0"), h.step().scheduled());
        assertEquals(List.of("0"), h.step().scheduled());
        h.add("1", 4, 10).add("2", 4, 10);
        assertEquals(List.of("1"), h.step().scheduled());
        assertEquals(List.of("2"), h.waiting());
    }

    /** {@code test_prefill_schedule_max_prompt_len}: a prompt over the limit is ignored (finish_reason length). */
    @Test
    void promptOverTheLimitIsIgnored() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 4, 30, 30, 4, 64, 8));
        h.add("long", 60, 5);
        Harness.Step step = h.step();
        assertEquals(List.of(), step.scheduled());
        assertEquals("length", h.finished.get("long"));
        assertEquals(List.of(), h.waiting());
        assertTrue(!h.core.hasRequests());
    }

    /** {@code test_prefill_schedule_token_budget}: prompts are admitted while the token budget holds, head of line. */
    @Test
    void tokenBudgetStopsAdmission() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 4, 64, 60, 4, 64, 8));
        h.add("0", 40, 5).add("1", 40, 5).add("2", 10, 5);
        Harness.Step step = h.step();
        assertEquals(List.of("0"), step.scheduled(), "head of line: the short third prompt waits too");
        assertEquals(List.of("1", "2"), h.waiting());
        assertEquals(List.of("1", "2"), h.step().scheduled());
    }

    /** {@code test_prefill_schedule_max_seqs}: at most max_num_seqs prompts per step. */
    @Test
    void maxSeqsLimitsPrefills() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 2, 64, 16, 4, 64, 8));
        h.add("0", 4, 5).add("1", 4, 5).add("2", 4, 5);
        assertEquals(List.of("0", "1"), h.step().scheduled());
        assertEquals(List.of("2"), h.waiting());
    }

    /** Admission leaves the 1 % watermark free: a prompt that would dip into it waits (can_allocate LATER). */
    @Test
    void watermarkHoldsBackAdmission() {
        Harness h = new Harness(Harness.settings(Policy.FCFS, 8, 2048, 1024, 4, 200, 8));
        assertEquals(2, h.core.settings().watermarkBlocks());
        h.add("big", 4 * 190, 5).add("small", 4 * 9, 5);
        assertEquals(List.of("big"), h.step().scheduled());
        assertEquals(List.of("small"), h.waiting(), "190 + 9 blocks would leave 1 < 2 free");
    }

    /**
     * Swap mode ({@code --preemption-mode swap}, vLLM's {@code test_schedule_swapped_*}): the victim's
     * blocks go to CPU; while anything is swapped no new prompt is admitted, and the swapped request
     * resumes decoding (no re-prefill) once blocks are free.
     */
    @Test
    void swappedRequestsResumeBeforeNewPrefills() {
        EngineSettings base = Harness.settings(Policy.FCFS, 4, 64, 16, 4, 2, 4);
        Harness h = new Harness(Harness.with(base, EngineGeneration.V0, false, PreemptionMode.SWAP, 30));
        h.add("a", 4, 3).add("b", 4, 2);
        assertEquals(List.of("a", "b"), h.step().scheduled());
        Harness.Step second = h.step();
        assertEquals(List.of("a"), second.scheduled());
        assertEquals(List.of("b"), h.swapped());
        assertEquals(1, h.core.usedCpuBlocks());
        h.add("c", 4, 2);
        Harness.Step third = h.step();
        assertEquals(List.of("a"), third.scheduled(), "no prefill while a request is swapped out");
        assertEquals("stop", h.finished.get("a"));
        Harness.Step fourth = h.step();
        assertEquals(List.of("b"), fourth.scheduled());
        assertEquals(0, fourth.prefills(), "swapped in and decoded, not recomputed");
        assertEquals(0, h.core.usedCpuBlocks());
        assertEquals(List.of("c"), h.step().scheduled(), "the new prompt after the swapped request finished");
    }

    /** Running out of CPU swap space fails the victim with vLLM's message. */
    @Test
    void swapWithoutCpuSpaceFailsTheVictim() {
        EngineSettings base = Harness.settings(Policy.FCFS, 4, 64, 16, 4, 2, 0);
        Harness h = new Harness(Harness.with(base, EngineGeneration.V0, false, PreemptionMode.SWAP, 30));
        String[] failure = new String[1];
        EngineCore core = new EngineCore(h.core.settings(), new EngineListener() {
            @Override
            public void onToken(int slot, int index, long timeNanos) {}

            @Override
            public void onFinished(int slot, FinishReason reason, long timeNanos) {}

            @Override
            public void onFailed(int slot, String message, long timeNanos) {
                failure[0] = message;
            }
        });
        core.add(4, 3, 3, FinishReason.STOP, 0, 0, "r");
        core.add(4, 3, 3, FinishReason.STOP, 0, 0, "r");
        core.finishStep(core.planStep(0));
        core.finishStep(core.planStep(10));
        assertEquals(EngineCore.NO_SWAP_SPACE, failure[0]);
        assertEquals(1, core.runningCount());
    }
}
