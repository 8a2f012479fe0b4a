package dev.schedbench.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SequencedMap;

/**
 * The requests of one priority class (as the client assigned it) and how they fared.
 *
 * @param priorityClass the class number; 0 when the run had no classes
 * @param requests      requests in the class
 * @param completed     successful ones
 * @param minPriority   lowest priority value sent in the class, if any was sent
 * @param maxPriority   highest priority value sent in the class, if any was sent
 * @param latency       ttft, tpot, itl, e2el statistics over the class, computed as for the whole run
 * @param fairness      slowdowns of the class, against the whole run's best pace; empty if none qualify
 */
public record PriorityClassStats(
        int priorityClass,
        int requests,
        int completed,
        OptionalLong minPriority,
        OptionalLong maxPriority,
        SequencedMap<String, MetricStats> latency,
        Optional<Fairness> fairness) {

    public PriorityClassStats {
        latency = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(latency));
    }

    public MetricStats stats(String metric) {
        return BenchmarkMetrics.lookup(latency, metric);
    }
}
