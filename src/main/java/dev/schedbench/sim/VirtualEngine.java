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
        Integer[] order = new Integer[arrivals.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong(i -> arrivals.get(i).arrivalNanos()));
        Admission admission = new Admission(settings, new OutputLengths(profile, seed));
        Recorder recorder = new Recorder(arrivals, tokenTimes, observer, new StepTrace(settings.numGpuBlocks()));
        EngineCore core = new EngineCore(settings, recorder);
        recorder.core = core;
        long now = 0;
        int next = 0;
        while (true) {
            while (next < order.length && arrivals.get(order[next]).arrivalNanos() <= now) {
                recorder.submit(order[next++], admission);
            }
            long duration = core.planStep(now);
            if (duration == EngineCore.IDLE) {
                if (next >= order.length) {
                    if (core.hasRequests()) {
                        throw new IllegalStateException("the engine stalled with " + core.waitingCount() + " waiting, "
                                + core.runningCount() + " running and " + core.swappedCount() + " swapped requests");
                    }
                    break;
                }
                now = Math.max(now, arrivals.get(order[next]).arrivalNanos());
                continue;
            }
            now += duration;
            core.finishStep(now);
        }
        return new VirtualResult(recorder.timings(), recorder.trace, now, core.preemptionsTotal(),
                core.generationTokensTotal(), core.promptTokensTotal());
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
        private final long[][] tokens;
        private final int[] outputTokens;
        private final int[] preemptions;
        private final String[] finishReason;
        private final String[] error;

        Recorder(List<Arrival> arrivals, TokenTimes tokenTimes, Optional<EngineListener> observer, StepTrace trace) {
            int n = arrivals.size();
            this.arrivals = arrivals;
            this.keepTokens = tokenTimes == TokenTimes.ALL;
            this.observer = observer.orElse(null);
            this.trace = trace;
            this.firstToken = new long[n];
            this.lastToken = new long[n];
            this.tokens = new long[n][];
            this.outputTokens = new int[n];
            this.preemptions = new int[n];
            this.finishReason = new String[n];
            this.error = new String[n];
        }

        void submit(int index, Admission admission) {
            SimRequest request = arrivals.get(index).request();
            try {
                admission.validate(request);
            } catch (UserError rejected) {
                error[index] = rejected.getMessage();
                return;
            }
            Admission.Target target = admission.target(request);
            int slot = core.add(request.promptTokens(), request.maxTokens(), target.tokens(), target.reason(),
                    request.priority(), arrivals.get(index).arrivalNanos(), null);
            if (slot >= slotToIndex.length) {
                slotToIndex = Arrays.copyOf(slotToIndex, Math.max(slot + 1, slotToIndex.length * 2));
            }
            slotToIndex[slot] = index;
            if (keepTokens) {
                tokens[index] = new long[target.tokens()];
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
                tokens[index][tokenIndex] = timeNanos;
            }
            if (observer != null) {
                observer.onToken(slot, tokenIndex, timeNanos);
            }
        }

        @Override
        public void onFinished(int slot, FinishReason reason, long timeNanos) {
            int index = slotToIndex[slot];
            lastToken[index] = timeNanos;
            outputTokens[index] = core.generated(slot);
            preemptions[index] = core.preemptions(slot);
            finishReason[index] = reason.vllmName();
            if (keepTokens && tokens[index].length != outputTokens[index]) {
                tokens[index] = Arrays.copyOf(tokens[index], outputTokens[index]);
            }
            if (observer != null) {
                observer.onFinished(slot, reason, timeNanos);
            }
        }

        @Override
        public void onFailed(int slot, String message, long timeNanos) {
            int index = slotToIndex[slot];
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
                long[] times = keepTokens && tokens[i] != null ? tokens[i] : new long[0];
                out.add(new RequestTiming(i, r.requestId(), r.promptTokens(), outputTokens[i], r.priority(),
                        arrival.arrivalNanos(), firstToken[i], error[i] != null && outputTokens[i] == 0 ? 0 : lastToken[i],
                        times, preemptions[i], finishReason[i] == null ? "" : finishReason[i],
                        Optional.ofNullable(error[i])));
            }
            return out;
        }
    }
}
