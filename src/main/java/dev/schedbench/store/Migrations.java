package dev.schedbench.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema's history. Version {@code n} is reached by running the n-th script of
 * {@code migrations/} once; {@code PRAGMA user_version} records how far a database has come.
 * Scripts are never edited once released: a change is a new script.
 */
final class Migrations {

    private static final List<String> SCRIPTS = List.of(
            "V001__runs.sql",
            "V002__suites_tags_notes_listing.sql");

    static final int LATEST = SCRIPTS.size();

    private Migrations() {}

    /** Runs, in one transaction each, the scripts between the database's version and {@code target}. */
    static void migrate(Connection connection, int target) throws SQLException {
        for (int next = userVersion(connection) + 1; next <= target; next++) {
            int version = next;
            Transactions.write(connection, () -> {
                // Another process may have migrated since we looked; re-read under the write lock.
                if (userVersion(connection) >= version) {
                    return null;
                }
                try (Statement st = connection.createStatement()) {
                    for (String sql : statements(SCRIPTS.get(version - 1))) {
                        st.execute(sql);
                    }
                    st.execute("PRAGMA user_version = " + version);
                }
                return null;
            });
        }
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** The script's statements: comments dropped, split at semicolons (the scripts hold no string literals with one). */
    static List<String> statements(String script) {
        String text;
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + script);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf("--");
            code.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> result = new ArrayList<>();
        for (String statement : code.toString().split(";")) {
            if (!statement.isBlank()) {
                result.add(statement.strip());
            }
        }
        return result;
    }
}
