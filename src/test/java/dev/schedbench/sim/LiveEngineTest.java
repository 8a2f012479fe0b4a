package dev.schedbench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LiveEngineTest {

    /** Records what a request's sink receives, from the engine thread. */
    static final class RecordingSink implements TokenSink {
        final List<Integer> tokens = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        volatile String reason = "";
        volatile String failure = "";
        volatile int completionTokens = -1;
        volatile int promptTokens = -1;

        @Override
        public synchronized void onToken(int index, long dueNanos) {
            tokens.add(index);
        }

        @Override
        public void onFinished(String finishReason, int prompt, int completion) {
            reason = finishReason;
            promptTokens = prompt;
            completionTokens = completion;
            done.countDown();
        }

        @Override
        public void onFailed(String message) {
            failure = message;
            done.countDown();
        }

        boolean await() throws InterruptedException {
            return done.await(20, TimeUnit.SECONDS);
        }
    }

    private static ServerConfig fast(Policy policy) {
        return atSpeed(policy, 20.0);
    }

    /**
     * For a request that must still be in flight when the test acts on it. A gpt2 decode step takes
     * 30 ms here, so the 900- and 1000-token answers below last about half a minute, far longer than a
     * loaded machine keeps the test's thread waiting, while each test ends at once by aborting or
     * closing. (At {@link #fast} a 900-token answer is over in under 0.1 s, and a pause that long between
     * two lines of a test let it finish first.)
     */
    private static ServerConfig slow(Policy policy) {
        return atSpeed(policy, 0.05);
    }

    private static ServerConfig atSpeed(Policy policy, double speed) {
        ServerConfig d = ServerConfig.defaults("gpt2", policy);
        return new ServerConfig(d.model(), d.policy(), d.maxNumSeqs(), d.maxNumBatchedTokens(), d.maxModelLen(),
                d.blockSize(), d.swapSpaceGib(), d.gpuMemoryUtilization(), d.enableChunkedPrefill(),
                d.stepsBeforePreemption(), 7, d.profile(), speed);
    }

    private static SimRequest request(String id, int prompt, int maxTokens, long hint) {
        return new SimRequest(id, "prompt " + id, prompt, maxTokens, 0, false, OptionalLong.of(hint));
    }

    @Test
    void everyRequestGetsItsTokensInOrderThenFinishes() throws Exception {
        try (LiveEngine engine = SimEngines.live(fast(Policy.FCFS))) {
            List<RecordingSink> sinks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                engine.submit(request("r" + i, 10 + i, 40, 5 + i), sink);
            }
            for (int i = 0; i < 20; i++) {
                RecordingSink sink = sinks.get(i);
                assertTrue(sink.await(), "request " + i + " finished");
                assertEquals("stop", sink.reason);
                assertEquals(5 + i, sink.completionTokens);
                assertEquals(10 + i, sink.promptTokens);
                synchronized (sink) {
                    assertEquals(5 + i, sink.tokens.size());
                    for (int t = 0; t < sink.tokens.size(); t++) {
                        assertEquals(t, sink.tokens.get(t));
                    }
                }
            }
            // the snapshot is published after the step's tokens and finishes have been delivered
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (engine.snapshot().requestsFinishedStop() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            EngineSnapshot s = engine.snapshot();
            assertEquals(0, s.running() + s.waiting() + s.swapped());
            assertEquals(20, s.requestsFinishedStop());
            assertEquals((5 + 24) * 20 / 2, s.generationTokensTotal());
            assertEquals(0.0, s.gpuCacheUsage());
        }
    }

    @Test
    void maxTokensCutsTheNaturalLengthWithFinishReasonLength() throws Exception {
        try (LiveEngine engine = SimEngines.live(fast(Policy.FCFS))) {
            RecordingSink sink = new RecordingSink();
            engine.submit(request("cut", 5, 3, 50), sink);
            assertTrue(sink.await());
            assertEquals("length", sink.reason);
            assertEquals(3, sink.completionTokens);
        }
    }

    @Test
    void abortFreesTheRequestAndItsBlocks() throws Exception {
        try (LiveEngine engine = SimEngines.live(slow(Policy.FCFS))) {
            RecordingSink sink = new RecordingSink();
            engine.submit(request("long", 24, 1000, 1000), sink);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (engine.snapshot().running() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(engine.snapshot().gpuCacheUsage() > 0);
            engine.abort("long");
            while (engine.snapshot().running() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(0, engine.snapshot().running());
            assertEquals(0.0, engine.snapshot().gpuCacheUsage());
            assertFalse(sink.done.await(50, TimeUnit.MILLISECONDS), "an aborted request gets no finish");
        }
    }

    @Test
    void closeFailsRequestsInFlight() throws Exception {
        RecordingSink sink = new RecordingSink();
        LiveEngine engine = SimEngines.live(slow(Policy.FCFS));
        engine.submit(request("pending", 100, 900, 900), sink);
        engine.close();
        assertTrue(sink.await());
        assertEquals(LiveSimEngine.SHUT_DOWN, sink.failure);
        RecordingSink late = new RecordingSink();
        engine.submit(request("late", 10, 10, 10), late);
        assertTrue(late.await());
        assertEquals(LiveSimEngine.SHUT_DOWN, late.failure);
    }

    @Test
    void fcfsRejectsNonZeroPriorityWithVllmsMessage() {
        try (LiveEngine engine = SimEngines.live(fast(Policy.FCFS))) {
            UserError e = assertThrows(UserError.class, () -> engine.submit(
                    new SimRequest("p", "x", 5, 5, 3, false, OptionalLong.empty()), new RecordingSink()));
            assertEquals("Got priority 3 but Priority scheduling is not enabled.", e.getMessage());
        }
    }

    @Test
    void priorityPolicyAcceptsPriority() throws Exception {
        try (LiveEngine engine = SimEngines.live(fast(Policy.PRIORITY))) {
            RecordingSink sink = new RecordingSink();
            engine.submit(new SimRequest("p", "x", 5, 5, 3, false, OptionalLong.of(2)), sink);
            assertTrue(sink.await());
            assertEquals(2, sink.completionTokens);
        }
    }

    @Test
    void promptTooLongForTheModelIsRejectedWithVllmsMessage() {
        try (LiveEngine engine = SimEngines.live(fast(Policy.FCFS))) {
            UserError e = assertThrows(UserError.class, () -> engine.submit(request("big", 1000, 100, 5),
                    new RecordingSink()));
            assertEquals("This model's maximum context length is 1024 tokens. However, you requested 1100 tokens "
                    + "(1000 in the messages, 100 in the completion). Please reduce the length of the messages or "
                    + "completion.", e.getMessage());
        }
    }

    @Test
    void duplicateRequestIdIsRejected() throws Exception {
        try (LiveEngine engine = SimEngines.live(slow(Policy.FCFS))) {
            RecordingSink first = new RecordingSink();
            engine.submit(request("same", 10, 900, 900), first);
            UserError e = assertThrows(UserError.class, () -> engine.submit(request("same", 10, 10, 10),
                    new RecordingSink()));
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
        }
    }
}
