package dev.schedbench.store;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.RunInfo;
import dev.schedbench.model.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/** Deterministic runs and requests for store tests. */
public final class TestRuns {

    public static final Instant STARTED = Instant.parse("2024-11-24T10:20:00Z");

    private TestRuns() {}

    public static RunInfo info(Policy policy) {
        return new RunInfo("serve", "sim", "gpt2", policy, "{\"num_prompts\":3,\"request_rate\":10.0}",
                Optional.of("schedbench serve --engine sim"), 3);
    }

    /** Request {@code i}: every field distinct and non-trivial; ITLs in whole microseconds so they store exactly. */
    public static RequestRecord request(int i, int itlCount) {
        SplittableRandom random = new SplittableRandom(i);
        long[] itl = new long[itlCount];
        for (int k = 0; k < itlCount; k++) {
            itl[k] = 1_000 * (15_000 + random.nextInt(-500, 500));
        }
        boolean failed = i % 7 == 6;
        return new RequestRecord(i, 20 + i, failed ? 0 : itlCount + 1, 256, i % 2 == 0 ? OptionalLong.of(100 + i)
                : OptionalLong.empty(), i % 4, i * 100_000_000L, i * 100_000_000L + 12_345 + i, failed ? 0 : 20_000_000L + i,
                failed ? 0 : 20_000_000L + 15_000_000L * itlCount + i, failed ? new long[0] : itl,
                failed ? "" : "text of request " + i + ", with \"quotes\"", failed ? "Internal Server Error" : "");
    }

    public static RunHeader header(RunStatus status) {
        return new RunHeader("serve", status, "sim", "gpt2", Optional.of(Policy.PRIORITY), "{\"num_prompts\":3}",
                Optional.empty(), 3, new Version("0.1.0", "25.0.3+9", "25.0.4"), "test-host", STARTED,
                Optional.of(STARTED.plusSeconds(60)), "", RunResult.NONE);
    }

    public static RunContent content(int requests) {
        List<RequestRecord> rows = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            rows.add(request(i, 5));
        }
        return new RunContent(header(RunStatus.FINISHED), rows,
                List.of(new RunEvent.Snapshot(1_000_000_000L, 2, 1, 0, 30.5, 1.0)),
                List.of(new RunEvent.ServerState(1_000_000_000L, 2, 0, 0.25, 0)), List.of(), List.of());
    }
}
