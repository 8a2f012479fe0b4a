package dev.schedbench.store;

import dev.schedbench.model.UserError;
import dev.schedbench.model.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The run database: one SQLite file in the workspace, in WAL mode (readers never wait for the
 * recorder), foreign keys enforced, migrated to the current schema when opened. A file written by a
 * newer schedbench is refused before anything touches it. Opening also settles runs whose recording
 * process died: they become {@code interrupted} and keep every request already committed.
 *
 * <p>One {@code Database} holds one connection for queries; the recorder writes through its own.
 */
public final class Database implements AutoCloseable {

    /** The schema version this build writes. */
    public static final int SCHEMA_VERSION = Migrations.LATEST;

    private static final int BUSY_TIMEOUT_MS = 10_000;
    private static final int PAGE_SIZE = 16_384;
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 100;
    private static final int USER_VERSION_OFFSET = 60;

    private final Path file;
    private final Connection connection;
    private final RunRepository runs;
    private final SuiteRepository suites;
    private final DatasetRepository datasets;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.runs = new RunRepository(this, connection);
        this.suites = new SuiteRepository(this, connection);
        this.datasets = new DatasetRepository(this, connection);
    }

    public static Database open(Workspace workspace) {
        return open(workspace.database());
    }

    /** Opens (creating if needed) and migrates the database at {@code file}. */
    public static Database open(Path file) {
        Path absolute = file.toAbsolutePath();
        refuseForeignOrNewer(absolute);
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UserError("cannot create the folder for the run database " + absolute.getParent() + ": " + e.getMessage(), e);
        }
        Connection connection = null;
        try {
            connection = connect(absolute);
            int version = Migrations.userVersion(connection);
            if (version > SCHEMA_VERSION) {
                throw tooNew(absolute, version);
            }
            try (Statement st = connection.createStatement()) {
                if (version == 0) {
                    // Only takes effect on a new file. Request rows are ~400 bytes: big pages waste less at their ends.
                    st.execute("PRAGMA page_size = " + PAGE_SIZE);
                }
                st.execute("PRAGMA journal_mode = WAL");
            }
            Migrations.migrate(connection, SCHEMA_VERSION);
            Database db = new Database(absolute, connection);
            db.settleOrphanedRuns();
            return db;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new UserError("cannot open the run database " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public RunRepository runs() {
        return runs;
    }

    public SuiteRepository suites() {
        return suites;
    }

    public DatasetRepository datasets() {
        return datasets;
    }

    /** A new connection with this database's settings, for a writer of its own. */
    Connection newConnection() throws SQLException {
        return connect(file);
    }

    /**
     * Marks {@code running} runs whose recording process is gone as interrupted. Their requests stay:
     * every batch the recorder committed before the process died is kept.
     */
    private void settleOrphanedRuns() throws SQLException {
        record Orphan(long id, ProcessOwner owner) {}
        List<Orphan> candidates = new ArrayList<>();
        synchronized (this) {
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT id, owner_pid, host, owner_started_ms FROM runs WHERE status = 'running'")) {
                while (rs.next()) {
                    long pid = rs.getLong(2);
                    boolean noOwner = rs.wasNull();
                    long startedMs = rs.getLong(4);
                    Optional<Long> start = rs.wasNull() ? Optional.empty() : Optional.of(startedMs);
                    if (!noOwner) {
                        candidates.add(new Orphan(rs.getLong(1), new ProcessOwner(pid, rs.getString(3), start)));
                    }
                }
            }
            List<Orphan> gone = candidates.stream().filter(o -> o.owner().isGone()).toList();
            if (gone.isEmpty()) {
                return;
            }
            Transactions.write(connection, () -> {
                try (PreparedStatement st = connection.prepareStatement("""
                        UPDATE runs SET status = 'interrupted', finished_at_ms = updated_at_ms, message = ?
                        WHERE id = ? AND status = 'running'""")) {
                    for (Orphan o : gone) {
                        st.setString(1, "the recording process (pid " + o.owner().pid() + " on " + o.owner().host()
                                + ") ended before the run finished; requests recorded until then are kept");
                        st.setLong(2, o.id());
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                return null;
            });
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut may lose the last commits.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    /**
     * Reads the file header directly, so that a database from a newer schedbench (or a file that is
     * no database) is refused without SQLite opening it, let alone changing it.
     */
    private static void refuseForeignOrNewer(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        byte[] header = new byte[HEADER_BYTES];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, HEADER_BYTES);
        } catch (IOException e) {
            throw new UserError("cannot read the run database " + file + ": " + e.getMessage(), e);
        }
        if (read == 0) {
            return;
        }
        if (read < HEADER_BYTES || !Arrays.equals(header, 0, SQLITE_MAGIC.length, SQLITE_MAGIC, 0, SQLITE_MAGIC.length)) {
            throw new UserError(file + " is not a SQLite database, so it cannot be the run database; "
                    + "move it away or choose another --workspace");
        }
        int version = ByteBuffer.wrap(header, USER_VERSION_OFFSET, 4).getInt();
        if (version > SCHEMA_VERSION) {
            throw tooNew(file, version);
        }
    }

    private static UserError tooNew(Path file, int version) {
        return new UserError("the run database " + file + " was written by a newer schedbench (schema version "
                + version + "; this build knows versions up to " + SCHEMA_VERSION
                + "). It was left untouched: upgrade schedbench, or choose another --workspace");
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing the run database " + file + ": " + e.getMessage(), e);
        }
    }
}
