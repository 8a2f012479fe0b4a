package dev.schedbench.store;

import dev.schedbench.model.Policy;
import dev.schedbench.model.RequestRecord;
import dev.schedbench.model.RunEvent;
import dev.schedbench.model.UserError;
import dev.schedbench.model.Version;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Queries and edits of stored runs. Thread-safe: calls share the database's query connection in turn. */
public final class RunRepository extends Repository {

    private static final String RUN_COLUMNS = """
            r.id, r.kind, r.status, r.engine, r.model, r.policy, r.spec_json, r.server_command, r.total_requests,
            r.schedbench_version, r.java_version, r.javafx_version, r.host, r.started_at_ms, r.finished_at_ms,
            r.message, r.summary_json, r.result_keys_json, r.extra_json, r.imported, r.source_file, r.dataset_id""";

    RunRepository(Database db, Connection connection) {
        super(db, connection);
    }

    /** Runs matching the filter, oldest first. */
    public List<RunListing> list(RunFilter filter) {
        StringBuilder sql = new StringBuilder("""
                SELECT r.id, r.kind, r.status, r.engine, r.model, r.policy, r.started_at_ms, r.finished_at_ms,
                    r.total_requests, r.imported FROM runs r WHERE 1 = 1""");
        List<String> args = new ArrayList<>();
        filter.status().ifPresent(s -> add(sql, args, " AND r.status = ?", s.label()));
        filter.kind().ifPresent(k -> add(sql, args, " AND r.kind = ?", k));
        filter.engine().ifPresent(e -> add(sql, args, " AND r.engine = ?", e));
        filter.model().ifPresent(m -> add(sql, args, " AND r.model = ?", m));
        filter.policy().ifPresent(p -> add(sql, args, " AND r.policy = ?", p.cliName()));
        filter.tag().ifPresent(t -> add(sql, args, " AND EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)", t));
        sql.append(" ORDER BY r.id");
        return query(sql.toString(), st -> {
            for (int i = 0; i < args.size(); i++) {
                st.setString(i + 1, args.get(i));
            }
        }, rs -> new RunListing(rs.getLong(1), rs.getString(2), RunStatus.parse(rs.getString(3)), rs.getString(4),
                rs.getString(5), optionalString(rs, 6).map(RunRepository::policy), Instant.ofEpochMilli(rs.getLong(7)),
                optionalLong(rs, 8).map(Instant::ofEpochMilli), rs.getInt(9), rs.getInt(10) == 1));
    }

    public Optional<StoredRun> get(long id) {
        List<StoredRun> found = query("SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.id = ?",
                st -> st.setLong(1, id), this::readRun);
        return found.stream().findFirst();
    }

    /** The run, or a clear error naming the id and the database. */
    public StoredRun require(long id) {
        return get(id).orElseThrow(() -> new UserError("no run with id " + id + " in " + db.file()
                + "; 'schedbench runs list' shows the runs there"));
    }

    /** The run's requests, by index, with their generated texts. */
    public List<RequestRecord> requests(long runId) {
        return requests(runId, """
                SELECT q.idx, q.prompt_tokens, q.output_tokens, q.max_tokens, q.priority, q.priority_class,
                    q.scheduled_send_ns, q.actual_send_ns, q.ttft_ns, q.e2el_ns, q.itl_us, q.error, t.text
                FROM requests q LEFT JOIN request_texts t ON t.run_id = q.run_id AND t.idx = q.idx
                WHERE q.run_id = ? ORDER BY q.idx""");
    }

    /** The run's requests, by index, without generated texts (empty): what charts and statistics need. */
    public List<RequestRecord> requestTimings(long runId) {
        return requests(runId, """
                SELECT q.idx, q.prompt_tokens, q.output_tokens, q.max_tokens, q.priority, q.priority_class,
                    q.scheduled_send_ns, q.actual_send_ns, q.ttft_ns, q.e2el_ns, q.itl_us, q.error, NULL
                FROM requests q WHERE q.run_id = ? ORDER BY q.idx""");
    }

    private List<RequestRecord> requests(long runId, String sql) {
        return query(sql, st -> st.setLong(1, runId), rs -> {
            long priority = rs.getLong(5);
            OptionalLong prio = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(priority);
            return new RequestRecord(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), prio, rs.getInt(6),
                    rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), ItlCodec.decode(rs.getBytes(11)),
                    Optional.ofNullable(rs.getString(13)).orElse(""), rs.getString(12));
        });
    }

    public int requestCount(long runId) {
        return query("SELECT COUNT(*) FROM requests WHERE run_id = ?", st -> st.setLong(1, runId), rs -> rs.getInt(1))
                .getFirst();
    }

    /** The client's time series, in the order recorded. */
    public List<RunEvent.Snapshot> samples(long runId) {
        return query("""
                SELECT elapsed_ns, in_flight, completed, failed, output_tokens_per_s, requests_per_s
                FROM samples WHERE run_id = ? ORDER BY seq""", st -> st.setLong(1, runId),
                rs -> new RunEvent.Snapshot(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getDouble(5),
                        rs.getDouble(6)));
    }

    /** The server's time series, in the order recorded. */
    public List<RunEvent.ServerState> serverSamples(long runId) {
        return query("""
                SELECT elapsed_ns, running, waiting, kv_cache_usage, preemptions_total
                FROM server_samples WHERE run_id = ? ORDER BY seq""", st -> st.setLong(1, runId),
                rs -> new RunEvent.ServerState(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getDouble(5)));
    }

    public List<Note> notes(long runId) {
        return query("SELECT created_at_ms, text FROM run_notes WHERE run_id = ? ORDER BY created_at_ms, id",
                st -> st.setLong(1, runId), rs -> new Note(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2)));
    }

    /** Everything about a run, for exporting it. */
    public RunContent content(long runId) {
        StoredRun run = require(runId);
        return new RunContent(run.header(), requests(runId), samples(runId), serverSamples(runId), run.tags(),
                notes(runId));
    }

    /** Deletes a run with its requests, samples, tags and notes; false if there was none. */
    public boolean delete(long runId) {
        return update(() -> {
            try (PreparedStatement st = connection.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                st.setLong(1, runId);
                return st.executeUpdate() == 1;
            }
        });
    }

    public void tag(long runId, String tag) {
        String clean = cleanTag(tag);
        require(runId);
        update(() -> {
            try (PreparedStatement st = connection.prepareStatement("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)")) {
                st.setLong(1, runId);
                st.setString(2, clean);
                return st.executeUpdate();
            }
        });
    }

    /** Removes a tag; false if the run did not have it. */
    public boolean untag(long runId, String tag) {
        require(runId);
        return update(() -> {
            try (PreparedStatement st = connection.prepareStatement("DELETE FROM run_tags WHERE run_id = ? AND tag = ?")) {
                st.setLong(1, runId);
                st.setString(2, tag.strip());
                return st.executeUpdate() == 1;
            }
        });
    }

    public void addNote(long runId, String text) {
        if (text.isBlank()) {
            throw new UserError("a note needs some text");
        }
        require(runId);
        update(() -> {
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO run_notes (run_id, created_at_ms, text) VALUES (?, ?, ?)")) {
                st.setLong(1, runId);
                st.setLong(2, System.currentTimeMillis());
                st.setString(3, text.strip());
                return st.executeUpdate();
            }
        });
    }

    /** Saves a complete run measured here (e.g. computed in one go), in one transaction; returns its id. */
    public long save(RunContent content) {
        return insertWhole(content, Optional.empty());
    }

    /**
     * Saves a run read from a file, marked imported with the file's name, in one transaction: either
     * all of it lands or nothing does.
     */
    public long importRun(RunContent content, String sourceFileName) {
        return insertWhole(content, Optional.of(sourceFileName));
    }

    /** Saves complete runs in one transaction (a sweep computed in one go); returns their ids in order. */
    public List<Long> saveAll(List<RunContent> contents) {
        contents.forEach(RunRepository::checkEnded);
        return update(() -> {
            List<Long> ids = new ArrayList<>(contents.size());
            for (RunContent content : contents) {
                ids.add(insert(content, Optional.empty()));
            }
            return ids;
        });
    }

    private static void checkEnded(RunContent content) {
        if (content.header().status() == RunStatus.RUNNING) {
            throw new IllegalArgumentException("a run saved whole has ended; status running is only for live recording");
        }
    }

    private long insertWhole(RunContent content, Optional<String> sourceFile) {
        checkEnded(content);
        return update(() -> insert(content, sourceFile));
    }

    private long insert(RunContent content, Optional<String> sourceFile) throws SQLException {
        {
            long id = RunWriter.insertRun(connection, content.header(), Optional.empty(), sourceFile,
                    System.currentTimeMillis());
            try (RunWriter writer = new RunWriter(connection)) {
                for (RequestRecord r : content.requests()) {
                    writer.addRequest(id, r);
                }
                for (int i = 0; i < content.samples().size(); i++) {
                    writer.addSample(id, i, content.samples().get(i));
                }
                for (int i = 0; i < content.serverSamples().size(); i++) {
                    writer.addServerSample(id, i, content.serverSamples().get(i));
                }
                writer.flush();
            }
            try (PreparedStatement tags = connection.prepareStatement("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)");
                    PreparedStatement notes = connection.prepareStatement(
                            "INSERT INTO run_notes (run_id, created_at_ms, text) VALUES (?, ?, ?)")) {
                for (String tag : content.tags()) {
                    tags.setLong(1, id);
                    tags.setString(2, cleanTag(tag));
                    tags.executeUpdate();
                }
                for (Note note : content.notes()) {
                    notes.setLong(1, id);
                    notes.setLong(2, note.createdAt().toEpochMilli());
                    notes.setString(3, note.text());
                    notes.executeUpdate();
                }
            }
            return id;
        }
    }

    private StoredRun readRun(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        RunResult result = RunResult.fromColumns(optionalString(rs, 17), optionalString(rs, 18), optionalString(rs, 19));
        RunHeader header = new RunHeader(rs.getString(2), RunStatus.parse(rs.getString(3)), rs.getString(4),
                rs.getString(5), optionalString(rs, 6).map(RunRepository::policy), rs.getString(7), optionalString(rs, 8),
                rs.getInt(9), new Version(rs.getString(10), rs.getString(11), rs.getString(12)), rs.getString(13),
                Instant.ofEpochMilli(rs.getLong(14)), optionalLong(rs, 15).map(Instant::ofEpochMilli),
                rs.getString(16), result);
        boolean imported = rs.getInt(20) == 1;
        Optional<String> source = optionalString(rs, 21);
        Optional<Long> dataset = optionalLong(rs, 22);
        List<String> tags = query("SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag", st -> st.setLong(1, id),
                r -> r.getString(1));
        return new StoredRun(id, header, imported, source, dataset, tags);
    }

    private static final java.util.Map<String, Policy> POLICIES = java.util.Arrays.stream(Policy.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Policy::cliName, p -> p));

    /** Stored policies are spelled as {@link Policy#cliName()}; a map lookup keeps long lists fast. */
    private static Policy policy(String stored) {
        Policy known = POLICIES.get(stored);
        return known != null ? known : Policy.parse(stored);
    }

    private static String cleanTag(String tag) {
        String clean = tag.strip();
        if (clean.isEmpty()) {
            throw new UserError("a tag cannot be empty");
        }
        return clean;
    }

    private static void add(StringBuilder sql, List<String> args, String clause, String value) {
        sql.append(clause);
        args.add(value);
    }

}
