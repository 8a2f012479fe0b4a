package dev.schedbench.sim;

import dev.schedbench.model.UserError;
import dev.schedbench.sim.engine.EngineCore;
import dev.schedbench.sim.engine.EngineListener;
import dev.schedbench.sim.engine.EngineSettings;
import dev.schedbench.sim.engine.FinishReason;
import dev.schedbench.sim.engine.StepView;
import dev.schedbench.sim.profile.OutputLengths;
import dev.schedbench.sim.profile.Profile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A simulated GPU in virtual time: a run takes a list of arrivals and returns every request's timings
 * as fast as the CPU allows. Each {@link #run} starts from an empty engine; the same arrivals and seed
 * give the same result.
 */
public final class VirtualEngine {

    private final EngineSettings settings;
    private final Profile profile;
    private final long seed;
    private final TokenTimes tokenTimes;
    private final Optional<EngineListener> observer;

    VirtualEngine(EngineSettings settings, Profile profile, long seed, TokenTimes tokenTimes,
            Optional<EngineListener> observer) {
        this.settings = settings;
        this.profile = profile;
        this.seed = seed;
        this.tokenTimes = tokenTimes;
        this.observer = observer;
    }

    public EngineSettings settings() {
        return settings;
    }

    public Profile profile() {
        return profile;
    }

    /** The same engine with an observer that sees every step and every request event (tests, invariants). */
    public VirtualEngine observedBy(EngineListener newObserver) {
        return new VirtualEngine(settings, profile, seed, tokenTimes, Optional.of(newObserver));
    }

    public VirtualEngine withTokenTimes(TokenTimes newTokenTimes) {
        return new VirtualEngine(settings, profile, seed, newTokenTimes, observer);
    }

    /** Runs the arrivals to completion. Requests vLLM would reject come back failed with vLLM's message. */
    public VirtualResult run(List<Arrival> arrivals) {
        return run(arrivals, OptionalInt.empty());
    }

    /**
     * Runs the arrivals with at most {@code maxConcurrency} requests in flight, as vLLM's benchmark
     * client limits them: a request due while the limit is reached is sent, in order, when one finishes.
     */
    public VirtualResult run(List<Arrival> arrivals, OptionalInt maxConcurrency) {
        int limit = maxConcurrency.orElse(Integer.MAX_VALUE);
        if (limit < 1) {
            throw new IllegalArgumentException("max concurrency must be at least 1, got " + limit);
        }
        Integer[] order = new Integer[arrivals.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong(i -> arrivals.get(i).arrivalNanos()));
        Admission admission = new Admission(settings, new OutputLengths(profile, seed));
        Recorder recorder = new Recorder(arrivals, tokenTimes, observer, new StepTrace(settings.numGpuBlocks()));
        EngineCore core = new EngineCore(settings, recorder);
        recorder.core = core;
        IntQueue blocked = new IntQueue(arrivals.size());
        long now = 0;
        int next = 0;
        while (true) {
            // requests due by now: sent at their time if a slot was free then, else queued for one
            while (next < order.length && arrivals.get(order[next]).arrivalNanos() <= now) {
                int index = order[next++];
                if (recorder.inFlight < limit && blocked.isEmpty()) {
                    recorder.submit(index, arrivals.get(index).arrivalNanos(), admission);
                } else {
                    blocked.add(index);
                }
            }
            long duration = core.planStep(now);
            if (duration == EngineCore.IDLE) {
                if (next >= order.length && blocked.isEmpty()) {
                    if (core.hasRequests()) {
                        throw new IllegalStateException("the engine stalled with " + core.waitingCount() + " waiting, "
                                + core.runningCount() + " running and " + core.swappedCount() + " swapped requests");
                    }
                    break;
                }
                if (!blocked.isEmpty()) {
                    throw new IllegalStateException("requests wait for a concurrency slot on an idle engine");
                }
                now = Math.max(now, arrivals.get(order[next]).arrivalNanos());
                continue;
            }
            long end = now + duration;
            // due during the step, before its completions free any slot
            while (next < order.length && arrivals.get(order[next]).arrivalNanos() < end) {
                int index = order[next++];
                if (recorder.inFlight < limit && blocked.isEmpty()) {
                    recorder.reserve(index, arrivals.get(index).arrivalNanos());
                } else {
                    blocked.add(index);
                }
            }
            now = end;
            core.finishStep(now);
            recorder.submitReserved(admission);
            while (!blocked.isEmpty() && recorder.inFlight < limit) {
                recorder.submit(blocked.poll(), now, admission);
            }
        }
        return new VirtualResult(recorder.timings(), recorder.trace, now, core.preemptionsTotal(),
                core.generationTokensTotal(), core.promptTokensTotal());
    }

    /** A growable list of request indices without boxing. */
    private static final class IntQueueList {
        private int[] items = new int[16];
        private int size;

        void add(int value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        int get(int i) {
            return items[i];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }
    }

    /** A FIFO of request indices without boxing. */
    private static final class IntQueue {
        private final int[] items;
        private int head;
        private int tail;

        IntQueue(int capacity) {
            items = new int[capacity];
        }

        boolean isEmpty() {
            return head == tail;
        }

        void add(int value) {
            items[tail++] = value;
        }

        int poll() {
            return items[head++];
        }
    }

    /** Collects per-request timings in primitive arrays indexed by arrival position. */
    private static final class Recorder implements EngineListener {

        private final List<Arrival> arrivals;
        private final boolean keepTokens;
        private final EngineListener observer;
        private final StepTrace trace;
        private EngineCore core;
        private int[] slotToIndex = new int[256];
        private final long[] firstToken;
        private final long[] lastToken;
        private final TimeArena arena;
        private final long[] tokenOffset;
        private final int[] outputTokens;
        private final int[] preemptions;
        private final String[] finishReason;
        private final String[] error;
        private final long[] sentNanos;
        private final IntQueueList reserved = new IntQueueList();
        int inFlight;

        Recorder(List<Arrival> arrivals, TokenTimes tokenTimes, Optional<EngineListener> observer, StepTrace trace) {
            int n = arrivals.size();
            this.arrivals = arrivals;
            this.keepTokens = tokenTimes == TokenTimes.ALL;
            this.observer = observer.orElse(null);
            this.trace = trace;
            this.firstToken = new long[n];
            this.lastToken = new long[n];
            this.arena = new TimeArena();
            this.tokenOffset = new long[n];
            this.outputTokens = new int[n];
            this.preemptions = new int[n];
            this.finishReason = new String[n];
            this.error = new String[n];
            this.sentNanos = new long[n];
        }

        /** Takes a concurrency slot for a request sent during a step; it reaches the engine after the step. */
        void reserve(int index, long sendNanos) {
            sentNanos[index] = sendNanos;
            inFlight++;
            reserved.add(index);
        }

        void submitReserved(Admission admission) {
            for (int i = 0; i < reserved.size(); i++) {
                int index = reserved.get(i);
                inFlight--;
                submit(index, sentNanos[index], admission);
            }
            reserved.clear();
        }

        void submit(int index, long sendNanos, Admission admission) {
            SimRequest request = arrivals.get(index).request();
            sentNanos[index] = sendNanos;
            try {
                admission.validate(request);
            } catch (UserError rejected) {
                error[index] = rejected.getMessage();
                lastToken[index] = sendNanos;
                return;
            }
            inFlight++;
            Admission.Target target = admission.target(request);
            int slot = core.add(request.promptTokens(), request.maxTokens(), target.tokens(), target.reason(),
                    request.priority(), sendNanos, Integer.valueOf(index));
            if (slot >= slotToIndex.length) {
                slotToIndex = Arrays.copyOf(slotToIndex, Math.max(slot + 1, slotToIndex.length * 2));
            }
            slotToIndex[slot] = index;
            if (keepTokens) {
                tokenOffset[index] = arena.reserve(target.tokens());
            }
        }

        @Override
        public void onToken(int slot, int tokenIndex, long timeNanos) {
            int index = slotToIndex[slot];
            if (tokenIndex == 0) {
                firstToken[index] = timeNanos;
            }
            lastToken[index] = timeNanos;
            if (keepTokens) {
                arena.set(tokenOffset[index] + tokenIndex, timeNanos);
            }
            if (observer != null) {
                observer.onToken(slot, tokenIndex, timeNanos);
            }
        }

        @Override
        public void onFinished(int slot, FinishReason reason, long timeNanos) {
            int index = slotToIndex[slot];
            inFlight--;
            lastToken[index] = timeNanos;
            outputTokens[index] = core.generated(slot);
            preemptions[index] = core.preemptions(slot);
            finishReason[index] = reason.vllmName();
            if (observer != null) {
                observer.onFinished(slot, reason, timeNanos);
            }
        }

        @Override
        public void onFailed(int slot, String message, long timeNanos) {
            int index = slotToIndex[slot];
            inFlight--;
            error[index] = message;
            outputTokens[index] = core.generated(slot);
            preemptions[index] = core.preemptions(slot);
            lastToken[index] = timeNanos;
            if (observer != null) {
                observer.onFailed(slot, message, timeNanos);
            }
        }

        @Override
        public void onPreempted(int slot, long timeNanos) {
            if (observer != null) {
                observer.onPreempted(slot, timeNanos);
            }
        }

        @Override
        public void onStep(StepView step) {
            trace.record(step);
            if (observer != null) {
                observer.onStep(step);
            }
        }

        List<RequestTiming> timings() {
            List<RequestTiming> out = new ArrayList<>(arrivals.size());
            for (int i = 0; i < arrivals.size(); i++) {
                Arrival arrival = arrivals.get(i);
                SimRequest r = arrival.request();
                TokenTimeline times = keepTokens ? arena.timeline(tokenOffset[i], outputTokens[i]) : TokenTimeline.EMPTY;
                out.add(new RequestTiming(i, r.requestId(), r.promptTokens(), outputTokens[i], r.maxTokens(),
                        r.priority(), arrival.arrivalNanos(), sentNanos[i], firstToken[i], lastToken[i], times,
                        preemptions[i], finishReason[i] == null ? "" : finishReason[i], Optional.ofNullable(error[i])));
            }
            return out;
        }
    }
}
