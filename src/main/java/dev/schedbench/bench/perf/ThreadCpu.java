package dev.schedbench.bench.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** CPU time of this JVM's platform threads grouped by name without numbers: where the client's time goes. */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    static Map<String, Long> byKind() {
        Map<String, Long> kinds = new TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                kinds.merge(info.getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        return kinds;
    }

    /** The difference between two samples, largest first, with what no visible thread accounts for (JIT, GC). */
    static String describe(Map<String, Long> before, Map<String, Long> after, long processNanos) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((kind, cpu) -> delta.put(kind, cpu - before.getOrDefault(kind, 0L)));
        long visible = delta.values().stream().mapToLong(Long::longValue).sum();
        delta.put("(JIT, GC, VM)", processNanos - visible);
        return delta.entrySet().stream().filter(e -> e.getValue() > processNanos / 100)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.0f ms", e.getKey(), e.getValue() / 1e6))
                .collect(Collectors.joining(", "));
    }
}
