package dev.schedbench.store;

import dev.schedbench.model.UserError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Shared plumbing of the repositories: they take turns on the database's query connection. */
abstract sealed class Repository permits RunRepository, SuiteRepository, DatasetRepository {

    final Database db;
    final Connection connection;

    Repository(Database db, Connection connection) {
        this.db = db;
        this.connection = connection;
    }

    static Optional<String> optionalString(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        synchronized (db) {
            try (PreparedStatement st = connection.prepareStatement(sql)) {
                binder.bind(st);
                try (ResultSet rs = st.executeQuery()) {
                    List<T> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(reader.read(rs));
                    }
                    return rows;
                }
            } catch (SQLException e) {
                throw failure(e);
            }
        }
    }

    <T> T update(Transactions.Work<T> work) {
        synchronized (db) {
            try {
                return Transactions.write(connection, work);
            } catch (SQLException e) {
                throw failure(e);
            }
        }
    }

    UserError failure(SQLException e) {
        return new UserError("run database " + db.file() + ": " + e.getMessage(), e);
    }
}
