package dev.schedbench.bench;

import dev.schedbench.metrics.BenchmarkMetrics;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.ServeSpec;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SequencedMap;

/**
 * A finished serving run.
 *
 * @param records       every request, in index order
 * @param durationNanos start of the arrival schedule to the last completion
 * @param document      vLLM's result document
 * @param extras        the workbench's sections, written after vLLM's keys
 * @param finishedAt    local time the run ended: vLLM's {@code date} and the result file's stamp
 * @param tokenCounting how tokens were counted
 */
public record ServeResult(
        ServeSpec spec,
        List<RequestRecord> records,
        long durationNanos,
        BenchmarkMetrics metrics,
        SequencedMap<String, Object> document,
        SequencedMap<String, Object> extras,
        LocalDateTime finishedAt,
        String tokenCounting) {

    public ServeResult {
        records = List.copyOf(records);
    }
}
