package dev.schedbench.model;

import java.time.Instant;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Progress of any long piece of work (download, dataset build, server start, benchmark). Producers
 * emit these from worker threads; shells (CLI progress bar, app charts, the store's recorder) consume
 * them and never call back into the producer.
 */
public sealed interface RunEvent {

    /** A benchmark run began; its arrival schedule starts at {@code startNanos} ({@link System#nanoTime()}). */
    record Started(RunInfo info, Instant startedAt, long startNanos) implements RunEvent {}

    /** Generic progress: {@code done} of {@code total} {@code unit}s (total 0 when unknown). */
    record Progress(String task, long done, long total, String unit, double ratePerSecond) implements RunEvent {}

    /** One request completed (successfully or not). */
    record RequestFinished(RequestRecord request) implements RunEvent {}

    /** A per-tick sample of the client's view: what the live charts and the store's samples show. */
    record Snapshot(
            long elapsedNanos,
            int inFlight,
            int completed,
            int failed,
            double outputTokensPerSecond,
            double requestsPerSecond) implements RunEvent {}

    /** The server's own state, scraped from its {@code /metrics}. */
    record ServerState(
            long elapsedNanos,
            double running,
            double waiting,
            double kvCacheUsage,
            double preemptionsTotal) implements RunEvent {}

    /** A line the server or a child process wrote. */
    record Log(String source, String line) implements RunEvent {}

    /** The run finished; {@code result} is the vLLM result document, keys in vLLM's order. */
    record Finished(SequencedMap<String, Object> result, Map<String, Object> extra) implements RunEvent {}

    /** The run failed or was cancelled; what it measured so far has been reported already. */
    record Failed(String message, boolean interrupted) implements RunEvent {}
}
