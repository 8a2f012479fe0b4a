package dev.schedbench.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/** Suites: named, ordered groups of runs (e.g. every policy × rate of one sweep). */
public final class SuiteRepository extends Repository {

    /** A suite and its runs in order. */
    public record Suite(long id, String name, String specJson, Instant createdAt, List<Long> runIds) {
        public Suite {
            runIds = List.copyOf(runIds);
        }
    }

    SuiteRepository(Database db, Connection connection) {
        super(db, connection);
    }

    /** Creates a suite holding the given runs in that order; returns its id. */
    public long create(String name, String specJson, List<Long> runIds) {
        return update(() -> {
            long id;
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO suites (name, spec_json, created_at_ms) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                st.setString(1, name);
                st.setString(2, specJson);
                st.setLong(3, System.currentTimeMillis());
                st.executeUpdate();
                try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            for (long runId : runIds) {
                insertMember(id, runId);
            }
            return id;
        });
    }

    /** Appends a run to a suite (a sweep adds each run as it ends). */
    public void add(long suiteId, long runId) {
        update(() -> {
            insertMember(suiteId, runId);
            return null;
        });
    }

    public List<Suite> list() {
        return query("SELECT id, name, spec_json, created_at_ms FROM suites ORDER BY id", st -> { },
                rs -> new Suite(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                        runsOf(rs.getLong(1))));
    }

    public boolean delete(long suiteId) {
        return update(() -> {
            try (PreparedStatement st = connection.prepareStatement("DELETE FROM suites WHERE id = ?")) {
                st.setLong(1, suiteId);
                return st.executeUpdate() == 1;
            }
        });
    }

    private List<Long> runsOf(long suiteId) {
        return query("SELECT run_id FROM suite_runs WHERE suite_id = ? ORDER BY position", st -> st.setLong(1, suiteId),
                rs -> rs.getLong(1));
    }

    private void insertMember(long suiteId, long runId) throws java.sql.SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT OR IGNORE INTO suite_runs (suite_id, run_id, position)
                VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM suite_runs WHERE suite_id = ?))""")) {
            st.setLong(1, suiteId);
            st.setLong(2, runId);
            st.setLong(3, suiteId);
            st.executeUpdate();
        }
    }
}
