package dev.schedbench.sim.http;

import dev.schedbench.model.ServerConfig;
import dev.schedbench.model.UserError;
import dev.schedbench.sim.EngineSnapshot;
import dev.schedbench.sim.LiveEngine;
import dev.schedbench.sim.SimRequest;
import dev.schedbench.sim.TokenSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately simple live engine for exercising the HTTP layer: fixed step time, every running
 * request gets one token per step, admission by arrival or priority up to max-num-seqs.
 */
final class StepEngine implements LiveEngine {

    private final ServerConfig config;
    private final long stepNanos;
    private final ConcurrentLinkedQueue<Running> arrivals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> aborts = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Running> waiting = new ArrayDeque<>();
    private final List<Running> running = new ArrayList<>();
    private final Thread thread;
    private volatile boolean open = true;
    private volatile EngineSnapshot snapshot = new EngineSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private long promptTokens;
    private long generated;
    private long stops;
    private long lengths;
    private long steps;

    StepEngine(ServerConfig config, long stepMicros) {
        this.config = config;
        this.stepNanos = (long) (TimeUnit.MICROSECONDS.toNanos(stepMicros) / config.speed());
        this.thread = Thread.ofPlatform().name("step-engine").daemon().start(this::loop);
    }

    private static final class Running {
        final SimRequest request;
        final TokenSink sink;
        final int target;
        int produced;

        Running(SimRequest request, TokenSink sink) {
            this.request = request;
            this.sink = sink;
            int natural = (int) request.outputTokensHint().orElse(1 + Math.floorMod(request.prompt().hashCode(), 40));
            this.target = request.ignoreEos() ? request.maxTokens() : Math.min(natural, request.maxTokens());
        }
    }

    @Override
    public void submit(SimRequest request, TokenSink sink) {
        if (request.priority() != 0 && !config.policy().priorityAware()) {
            throw new UserError("Got priority " + request.priority() + " but Priority scheduling is not enabled.");
        }
        if (!open) {
            throw new IllegalStateException("engine closed");
        }
        arrivals.add(new Running(request, sink));
    }

    @Override
    public void abort(String requestId) {
        aborts.add(requestId);
    }

    @Override
    public EngineSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    private void loop() {
        long next = System.nanoTime() + stepNanos;
        while (open) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += stepNanos;
            step();
        }
        for (Running r : waiting) {
            r.sink.onFailed("engine shut down");
        }
        for (Running r : running) {
            r.sink.onFailed("engine shut down");
        }
    }

    private void step() {
        for (Running r; (r = arrivals.poll()) != null; ) {
            waiting.add(r);
        }
        for (String id; (id = aborts.poll()) != null; ) {
            String gone = id;
            waiting.removeIf(r -> r.request.requestId().equals(gone));
            running.removeIf(r -> r.request.requestId().equals(gone));
        }
        if (config.policy().priorityAware()) {
            List<Running> sorted = new ArrayList<>(waiting);
            sorted.sort(Comparator.comparingLong(r -> r.request.priority()));
            waiting.clear();
            waiting.addAll(sorted);
        }
        while (running.size() < config.maxNumSeqs() && !waiting.isEmpty()) {
            Running admitted = waiting.poll();
            promptTokens += admitted.request.promptTokens();
            running.add(admitted);
        }
        steps++;
        List<Running> done = new ArrayList<>();
        for (Running r : running) {
            r.sink.onToken(r.produced++);
            generated++;
            if (r.produced == r.target) {
                String reason = r.produced == r.request.maxTokens() ? "length" : "stop";
                if (reason.equals("stop")) {
                    stops++;
                } else {
                    lengths++;
                }
                r.sink.onFinished(reason, r.request.promptTokens(), r.produced);
                done.add(r);
            }
        }
        running.removeAll(done);
        snapshot = new EngineSnapshot(running.size(), waiting.size() + arrivals.size(), 0,
                running.size() / (double) config.maxNumSeqs(), 0, 0, promptTokens, generated, stops, lengths, steps);
    }

    @Override
    public void close() {
        open = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
