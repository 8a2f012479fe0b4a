package dev.schedbench.sim;

import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.engine.EngineCore;
import dev.schedbench.sim.engine.EngineListener;
import dev.schedbench.sim.engine.EngineSettings;
import dev.schedbench.sim.engine.FinishReason;
import dev.schedbench.sim.profile.OutputLengths;
import dev.schedbench.sim.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated GPU on wall-clock time. One platform thread owns the {@link EngineCore}: it plans a step,
 * parks until the step's end (the model's time divided by the speed factor, with Gaussian jitter) less
 * the {@link StepDelivery} lead, spins the last stretch for precision, delivers the step's tokens
 * (each stamped with the step's end), publishes a new {@link EngineSnapshot} (so a snapshot's
 * {@code steps} count only steps whose tokens were all delivered), waits out the lead, then drains
 * submissions and aborts that arrived meanwhile (a lock-free MPSC queue) before the next step.
 */
final class LiveSimEngine implements LiveEngine {

    /** Parking is coarse; the last stretch before a deadline is spun. */
    private static final long SPIN_NANOS = 50_000;
    /** Running later than this behind the model's clock, the engine stops trying to catch up. */
    private static final long MAX_LAG_NANOS = 10_000_000;
    static final String SHUT_DOWN = "the simulated engine was shut down";

    private final ServerConfig config;
    private final EngineSettings settings;
    private final Admission admission;
    private final EngineCore core;
    private final Queue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Handle> live = new ConcurrentHashMap<>();
    private final SplittableRandom jitterRandom;
    private final double jitterFraction;
    private final double speed;
    private final long origin = System.nanoTime();
    private volatile boolean closing;
    private volatile EngineSnapshot snapshot;
    private volatile StepDelivery delivery = StepDelivery.AT_STEP_END;
    /** When the step being delivered ends, on the wall clock; engine thread. */
    private long stepDueNanos;
    private final List<Handle> sinkFailures = new ArrayList<>();
    private Thread thread;

    private sealed interface Command permits Submit, Abort {}

    private record Submit(Handle handle) implements Command {}

    private record Abort(String requestId) implements Command {}

    /** A request in flight; {@code slot} and {@code aborted} are touched by the engine thread only. */
    private static final class Handle {
        final SimRequest request;
        final TokenSink sink;
        final Admission.Target target;
        int slot = -1;
        boolean aborted;

        Handle(SimRequest request, TokenSink sink, Admission.Target target) {
            this.request = request;
            this.sink = sink;
            this.target = target;
        }
    }

    private LiveSimEngine(ServerConfig config, Profile profile, EngineSettings settings) {
        this.config = config;
        this.settings = settings;
        this.admission = new Admission(settings, new OutputLengths(profile, config.seed()));
        this.core = new EngineCore(settings, new Delivery());
        this.jitterRandom = new SplittableRandom(config.seed());
        this.jitterFraction = profile.costs().jitterFraction();
        this.speed = config.speed();
        publishSnapshot();
    }

    static LiveSimEngine start(ServerConfig config, Profile profile, EngineSettings settings) {
        LiveSimEngine engine = new LiveSimEngine(config, profile, settings);
        engine.thread = Thread.ofPlatform().name("sim-engine-" + profile.name()).daemon(true).start(engine::loop);
        return engine;
    }

    @Override
    public void submit(SimRequest request, TokenSink sink) {
        admission.validate(request);
        Admission.Target target = admission.target(request);
        if (closing) {
            sink.onFailed(SHUT_DOWN);
            return;
        }
        Handle handle = new Handle(request, sink, target);
        if (live.putIfAbsent(request.requestId(), handle) != null) {
            throw new UserError("Request id " + request.requestId() + " already running.");
        }
        Command command = new Submit(handle);
        inbox.add(command);
        if (closing && inbox.remove(command)) {
            live.remove(request.requestId());
            sink.onFailed(SHUT_DOWN);
            return;
        }
        LockSupport.unpark(thread);
    }

    @Override
    public void abort(String requestId) {
        if (live.containsKey(requestId)) {
            inbox.add(new Abort(requestId));
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void deliverSteps(StepDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public EngineSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        failQueued();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        // the engine wakes for each handover and step end: it must not wait for a parsing thread's slice
        ShortTimeSlice.requestForCurrentThread(ShortTimeSlice.PACING);
        try {
            run();
        } catch (RuntimeException | Error e) {
            // a bug in the engine must not leave clients waiting forever
            closing = true;
            failInFlight("the simulated engine failed: " + e);
            // hand over what a broken step had already delivered, so those streams can end too
            delivery.delivered();
            throw e;
        }
    }

    private void run() {
        long stepStart = System.nanoTime();
        boolean continuing = false;
        while (!closing) {
            drainInbox();
            if (!continuing) {
                stepStart = System.nanoTime();
            }
            long modelNanos = core.planStep(engineClock(stepStart));
            if (modelNanos == EngineCore.IDLE) {
                publishSnapshot();
                continuing = false;
                if (inbox.isEmpty() && !closing) {
                    LockSupport.park(this);
                }
                continue;
            }
            long deadline = stepStart + wallNanos(modelNanos);
            StepDelivery handover = delivery;
            long lead = Math.clamp(handover.leadNanos(), 0, (deadline - stepStart) / 2);
            handover.expect(deadline - lead);
            sleepUntil(deadline - lead);
            stepDueNanos = deadline;
            core.finishStep(engineClock(deadline));
            abortBrokenSinks();
            publishSnapshot();
            handover.delivered();
            if (lead > 0) {
                // the next step starts at this one's end; the writers have the cores meanwhile
                parkUntil(deadline);
            }
            long now = System.nanoTime();
            stepStart = now - deadline > MAX_LAG_NANOS ? now : deadline;
            continuing = true;
        }
        drainInbox();
        failInFlight(SHUT_DOWN);
    }

    private long engineClock(long wallNanos) {
        return (long) ((wallNanos - origin) * speed);
    }

    private long wallNanos(long modelNanos) {
        double jittered = modelNanos;
        if (jitterFraction > 0) {
            jittered = Math.max(0.5 * modelNanos, modelNanos * (1 + jitterFraction * gaussian()));
        }
        return (long) (jittered / speed);
    }

    private double gaussian() {
        double u1 = 1.0 - jitterRandom.nextDouble();
        double u2 = jitterRandom.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private void sleepUntil(long deadline) {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || closing) {
                return;
            }
            if (remaining > SPIN_NANOS) {
                LockSupport.parkNanos(this, remaining - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private void parkUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0 && !closing) {
            LockSupport.parkNanos(this, remaining);
        }
    }

    private void drainInbox() {
        Command command;
        while ((command = inbox.poll()) != null) {
            switch (command) {
                case Submit s -> {
                    Handle h = s.handle();
                    if (h.aborted) {
                        continue;
                    }
                    SimRequest r = h.request;
                    h.slot = core.add(r.promptTokens(), r.maxTokens(), h.target.tokens(), h.target.reason(), r.priority(),
                            System.nanoTime() - origin, h);
                }
                case Abort a -> {
                    Handle h = live.remove(a.requestId());
                    if (h != null) {
                        h.aborted = true;
                        if (h.slot >= 0) {
                            core.abort(h.slot);
                        }
                    }
                }
            }
        }
    }

    private void abortBrokenSinks() {
        for (Handle h : sinkFailures) {
            if (live.remove(h.request.requestId(), h) && !h.aborted) {
                h.aborted = true;
                core.abort(h.slot);
            }
        }
        sinkFailures.clear();
    }

    private void failInFlight(String message) {
        for (Handle h : List.copyOf(live.values())) {
            if (live.remove(h.request.requestId(), h)) {
                h.aborted = true;
                try {
                    h.sink.onFailed(message);
                } catch (RuntimeException ignored) {
                    // shutting down regardless
                }
            }
        }
    }

    private void failQueued() {
        Command command;
        while ((command = inbox.poll()) != null) {
            if (command instanceof Submit s && live.remove(s.handle().request.requestId(), s.handle())) {
                s.handle().sink.onFailed(SHUT_DOWN);
            }
        }
    }

    private void publishSnapshot() {
        snapshot = new EngineSnapshot(core.runningCount(), core.waitingCount(), core.swappedCount(),
                (double) core.usedGpuBlocks() / settings.numGpuBlocks(),
                settings.numCpuBlocks() == 0 ? 0 : (double) core.usedCpuBlocks() / settings.numCpuBlocks(),
                core.preemptionsTotal(), core.promptTokensTotal(), core.generationTokensTotal(), core.finishedStop(),
                core.finishedLength(), core.steps());
    }

    /** Hands the core's output to the request's sink. */
    private final class Delivery implements EngineListener {

        @Override
        public void onToken(int slot, int index, long timeNanos) {
            Handle h = (Handle) core.attachment(slot);
            try {
                h.sink.onToken(index, stepDueNanos);
            } catch (RuntimeException e) {
                sinkFailures.add(h);
            }
        }

        @Override
        public void onFinished(int slot, FinishReason reason, long timeNanos) {
            Handle h = (Handle) core.attachment(slot);
            live.remove(h.request.requestId(), h);
            int completion = core.generated(slot);
            int prompt = core.promptTokens(slot);
            h.aborted = true;
            sinkFailures.remove(h);
            try {
                h.sink.onFinished(reason.vllmName(), prompt, completion);
            } catch (RuntimeException ignored) {
                // the request is over either way
            }
        }

        @Override
        public void onFailed(int slot, String message, long timeNanos) {
            Handle h = (Handle) core.attachment(slot);
            live.remove(h.request.requestId(), h);
            h.aborted = true;
            try {
                h.sink.onFailed(message);
            } catch (RuntimeException ignored) {
                // the request is over either way
            }
        }
    }
}
