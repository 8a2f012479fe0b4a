package dev.schedbench.store;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The SQL that writes runs, shared by the live recorder and whole-run saves. Rows reach the
 * database at the latest at {@link #flush()}; callers wrap adding and flushing in one transaction.
 *
 * <p>Request rows go {@value #ROWS_PER_STATEMENT} to a multi-row {@code INSERT}: the driver's
 * per-row batch pays a reset, a step and bookkeeping for every row, which costs more than SQLite's
 * insert itself; one statement for many rows measured about three times faster
 * (docs/benchmarks.md, "Run database"). Fewer rows left at a flush go in statements of
 * {@value #SMALL_STATEMENT} rows, then one by one. The run id is bound once per statement.
 */
final class RunWriter implements AutoCloseable {

    static final int ROWS_PER_STATEMENT = 100;
    static final int SMALL_STATEMENT = 10;
    private static final int REQUEST_COLUMNS = 12;

    private final Connection connection;
    private final ItlCodec.Encoder encoder = new ItlCodec.Encoder();
    /** Insert statements for {@link #ROWS_PER_STATEMENT}, {@link #SMALL_STATEMENT} and one row, prepared when first needed. */
    private final PreparedStatement[] requestInserts = new PreparedStatement[3];
    private final RequestRecord[] pending = new RequestRecord[ROWS_PER_STATEMENT];
    private final byte[][] pendingItls = new byte[ROWS_PER_STATEMENT][];
    private long pendingRunId;
    private final PreparedStatement texts;
    private final PreparedStatement samples;
    private final PreparedStatement serverSamples;
    private int pendingRequests;
    private int pendingTexts;
    private int pendingSamples;
    private int pendingServerSamples;

    RunWriter(Connection connection) throws SQLException {
        this.connection = connection;
        texts = connection.prepareStatement("INSERT OR REPLACE INTO request_texts (run_id, idx, text) VALUES (?, ?, ?)");
        samples = connection.prepareStatement("""
                INSERT OR REPLACE INTO samples (run_id, seq, elapsed_ns, in_flight, completed, failed,
                    output_tokens_per_s, requests_per_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
        serverSamples = connection.prepareStatement("""
                INSERT OR REPLACE INTO server_samples (run_id, seq, elapsed_ns, running, waiting, kv_cache_usage,
                    preemptions_total) VALUES (?, ?, ?, ?, ?, ?, ?)""");
    }

    /** Inserts the run's row and returns its id. */
    static long insertRun(Connection connection, RunHeader header, Optional<ProcessOwner> owner,
            Optional<String> sourceFile, long nowMs) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT INTO runs (kind, status, engine, model, policy, spec_json, server_command, total_requests,
                    schedbench_version, java_version, javafx_version, host, owner_pid, owner_started_ms,
                    started_at_ms, updated_at_ms, finished_at_ms, message, summary_json, result_keys_json,
                    extra_json, imported, source_file)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                Statement.RETURN_GENERATED_KEYS)) {
            int i = 0;
            st.setString(++i, header.kind());
            st.setString(++i, header.status().label());
            st.setString(++i, header.engine());
            st.setString(++i, header.model());
            setOptional(st, ++i, header.policy().map(Policy::cliName));
            st.setString(++i, header.specJson());
            setOptional(st, ++i, header.serverCommand());
            st.setInt(++i, header.totalRequests());
            st.setString(++i, header.versions().schedbench());
            st.setString(++i, header.versions().java());
            st.setString(++i, header.versions().javafx());
            st.setString(++i, header.host());
            setOptionalLong(st, ++i, owner.map(ProcessOwner::pid));
            setOptionalLong(st, ++i, owner.flatMap(ProcessOwner::startedMs));
            st.setLong(++i, header.startedAt().toEpochMilli());
            st.setLong(++i, nowMs);
            setOptionalLong(st, ++i, header.finishedAt().map(Instant::toEpochMilli));
            st.setString(++i, header.message());
            setOptional(st, ++i, header.result().summaryJson());
            setOptional(st, ++i, header.result().keysJson());
            setOptional(st, ++i, header.result().extraJson());
            st.setInt(++i, sourceFile.isPresent() ? 1 : 0);
            setOptional(st, ++i, sourceFile);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id returned for the new run");
                }
                return keys.getLong(1);
            }
        }
    }

    /** Ends a run: its final status, when, why, and its result document. */
    static void finish(Connection connection, long runId, RunStatus status, Instant finishedAt, String message,
            RunResult result) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                UPDATE runs SET status = ?, finished_at_ms = ?, updated_at_ms = ?, message = ?,
                    summary_json = COALESCE(?, summary_json), result_keys_json = COALESCE(?, result_keys_json),
                    extra_json = COALESCE(?, extra_json)
                WHERE id = ?""")) {
            st.setString(1, status.label());
            st.setLong(2, finishedAt.toEpochMilli());
            st.setLong(3, finishedAt.toEpochMilli());
            st.setString(4, message);
            setOptional(st, 5, result.summaryJson());
            setOptional(st, 6, result.keysJson());
            setOptional(st, 7, result.extraJson());
            st.setLong(8, runId);
            st.executeUpdate();
        }
    }

    /** Marks a run as still being written to, so that an interruption can be dated. */
    static void touch(Connection connection, long runId, long nowMs) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("UPDATE runs SET updated_at_ms = ? WHERE id = ?")) {
            st.setLong(1, nowMs);
            st.setLong(2, runId);
            st.executeUpdate();
        }
    }

    /** Adds a request row, encoding its inter-token latencies here. */
    void addRequest(long runId, RequestRecord r) throws SQLException {
        addRequest(runId, r, encoder.encode(r.itlNanos()));
    }

    /** Adds a request row whose inter-token latencies were encoded already ({@link ItlCodec}). */
    void addRequest(long runId, RequestRecord r, byte[] encodedItls) throws SQLException {
        if (pendingRequests > 0 && runId != pendingRunId) {
            sendRequests();
        }
        pendingRunId = runId;
        pending[pendingRequests] = r;
        pendingItls[pendingRequests] = encodedItls;
        pendingRequests++;
        if (pendingRequests == ROWS_PER_STATEMENT) {
            sendRequests();
        }
        if (!r.generatedText().isEmpty()) {
            texts.setLong(1, runId);
            texts.setInt(2, r.index());
            texts.setString(3, r.generatedText());
            texts.addBatch();
            pendingTexts++;
        }
    }

    /** Inserts the pending request rows in as few statements as their number allows. */
    private void sendRequests() throws SQLException {
        int from = 0;
        int left = pendingRequests;
        while (left > 0) {
            int slot = left >= ROWS_PER_STATEMENT ? 0 : left >= SMALL_STATEMENT ? 1 : 2;
            int rows = switch (slot) {
                case 0 -> ROWS_PER_STATEMENT;
                case 1 -> SMALL_STATEMENT;
                default -> 1;
            };
            PreparedStatement st = requestInsert(slot, rows);
            st.setLong(1, pendingRunId);
            int p = 2;
            for (int i = from; i < from + rows; i++) {
                p = bindRequest(st, p, pending[i], pendingItls[i]);
                pending[i] = null;
                pendingItls[i] = null;
            }
            st.executeUpdate();
            from += rows;
            left -= rows;
        }
        pendingRequests = 0;
    }

    private PreparedStatement requestInsert(int slot, int rows) throws SQLException {
        if (requestInserts[slot] == null) {
            StringBuilder sql = new StringBuilder("""
                    INSERT OR REPLACE INTO requests (run_id, idx, prompt_tokens, output_tokens, max_tokens, priority,
                        priority_class, scheduled_send_ns, actual_send_ns, ttft_ns, e2el_ns, itl_us, error)
                    VALUES """);
            for (int i = 0; i < rows; i++) {
                // ?1 is the run id, shared by every row; a bare ? numbers on from the largest so far.
                sql.append(i == 0 ? "\n(?1" : ",\n(?1").append(", ?".repeat(REQUEST_COLUMNS)).append(')');
            }
            requestInserts[slot] = connection.prepareStatement(sql.toString());
        }
        return requestInserts[slot];
    }

    private static int bindRequest(PreparedStatement st, int first, RequestRecord r, byte[] encodedItls)
            throws SQLException {
        int p = first;
        st.setInt(p++, r.index());
        st.setInt(p++, r.promptTokens());
        st.setInt(p++, r.outputTokens());
        st.setInt(p++, r.maxTokens());
        if (r.priority().isPresent()) {
            st.setLong(p++, r.priority().getAsLong());
        } else {
            st.setNull(p++, Types.INTEGER);
        }
        st.setInt(p++, r.priorityClass());
        st.setLong(p++, r.scheduledSendNanos());
        st.setLong(p++, r.actualSendNanos());
        st.setLong(p++, r.ttftNanos());
        st.setLong(p++, r.e2elNanos());
        st.setBytes(p++, encodedItls);
        st.setString(p++, r.error());
        return p;
    }

    void addSample(long runId, int seq, RunEvent.Snapshot s) throws SQLException {
        samples.setLong(1, runId);
        samples.setInt(2, seq);
        samples.setLong(3, s.elapsedNanos());
        samples.setInt(4, s.inFlight());
        samples.setInt(5, s.completed());
        samples.setInt(6, s.failed());
        samples.setDouble(7, s.outputTokensPerSecond());
        samples.setDouble(8, s.requestsPerSecond());
        samples.addBatch();
        pendingSamples++;
    }

    void addServerSample(long runId, int seq, RunEvent.ServerState s) throws SQLException {
        serverSamples.setLong(1, runId);
        serverSamples.setInt(2, seq);
        serverSamples.setLong(3, s.elapsedNanos());
        serverSamples.setDouble(4, s.running());
        serverSamples.setDouble(5, s.waiting());
        serverSamples.setDouble(6, s.kvCacheUsage());
        serverSamples.setDouble(7, s.preemptionsTotal());
        serverSamples.addBatch();
        pendingServerSamples++;
    }

    /** Sends every added row. */
    void flush() throws SQLException {
        if (pendingRequests > 0) {
            sendRequests();
        }
        if (pendingTexts > 0) {
            texts.executeBatch();
            pendingTexts = 0;
        }
        if (pendingSamples > 0) {
            samples.executeBatch();
            pendingSamples = 0;
        }
        if (pendingServerSamples > 0) {
            serverSamples.executeBatch();
            pendingServerSamples = 0;
        }
    }

    /** Drops rows added since the last flush (their transaction was rolled back). */
    void discard() throws SQLException {
        Arrays.fill(pending, null);
        Arrays.fill(pendingItls, null);
        texts.clearBatch();
        samples.clearBatch();
        serverSamples.clearBatch();
        pendingRequests = 0;
        pendingTexts = 0;
        pendingSamples = 0;
        pendingServerSamples = 0;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement st : requestInserts) {
            if (st != null) {
                st.close();
            }
        }
        texts.close();
        samples.close();
        serverSamples.close();
    }

    static void setOptional(PreparedStatement st, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            st.setString(index, value.get());
        } else {
            st.setNull(index, Types.VARCHAR);
        }
    }

    static void setOptionalLong(PreparedStatement st, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) {
            st.setLong(index, value.get());
        } else {
            st.setNull(index, Types.INTEGER);
        }
    }
}
