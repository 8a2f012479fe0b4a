package dev.schedbench.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit write transactions. Connections stay in auto-commit mode (the driver's own manual mode
 * keeps a transaction open between commits, which would hold the write lock); each unit of work
 * runs inside {@code BEGIN IMMEDIATE … COMMIT}, so it takes the write lock up front and either
 * lands whole or not at all.
 */
final class Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {}

    static <T> T write(Connection connection, Work<T> work) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run();
                st.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    st.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }
}
