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
import java.util.Optional;

/**
 * The SQL that writes runs, shared by the live recorder and whole-run saves. Rows are added to JDBC
 * batches and reach the database at {@link #flush()}; callers wrap both in one transaction.
 */
final class RunWriter implements AutoCloseable {

    private final PreparedStatement requests;
    private final PreparedStatement texts;
    private final PreparedStatement samples;
    private final PreparedStatement serverSamples;
    private int pendingRequests;
    private int pendingTexts;
    private int pendingSamples;
    private int pendingServerSamples;

    RunWriter(Connection connection) throws SQLException {
        requests = connection.prepareStatement("""
                INSERT OR REPLACE INTO requests (run_id, idx, prompt_tokens, output_tokens, max_tokens, priority,
                    priority_class, scheduled_send_ns, actual_send_ns, ttft_ns, e2el_ns, itl_us, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
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

    void addRequest(long runId, RequestRecord r) throws SQLException {
        requests.setLong(1, runId);
        requests.setInt(2, r.index());
        requests.setInt(3, r.promptTokens());
        requests.setInt(4, r.outputTokens());
        requests.setInt(5, r.maxTokens());
        if (r.priority().isPresent()) {
            requests.setLong(6, r.priority().getAsLong());
        } else {
            requests.setNull(6, Types.INTEGER);
        }
        requests.setInt(7, r.priorityClass());
        requests.setLong(8, r.scheduledSendNanos());
        requests.setLong(9, r.actualSendNanos());
        requests.setLong(10, r.ttftNanos());
        requests.setLong(11, r.e2elNanos());
        requests.setBytes(12, ItlCodec.encode(r.itlNanos()));
        requests.setString(13, r.error());
        requests.addBatch();
        pendingRequests++;
        if (!r.generatedText().isEmpty()) {
            texts.setLong(1, runId);
            texts.setInt(2, r.index());
            texts.setString(3, r.generatedText());
            texts.addBatch();
            pendingTexts++;
        }
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

    /** Sends every added row; returns how many request rows went. */
    int flush() throws SQLException {
        int sent = pendingRequests;
        if (pendingRequests > 0) {
            requests.executeBatch();
            pendingRequests = 0;
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
        return sent;
    }

    /** Drops rows added since the last flush (their transaction was rolled back). */
    void discard() throws SQLException {
        requests.clearBatch();
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
        requests.close();
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
