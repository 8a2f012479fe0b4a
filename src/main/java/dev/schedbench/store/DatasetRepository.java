package dev.schedbench.store;

import dev.schedbench.model.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Datasets runs were made from, known by content hash: the same file under two names is one
 * dataset, and an edited file is a new one.
 */
public final class DatasetRepository extends Repository {

    /** A dataset file as registered. */
    public record Dataset(long id, String contentSha256, String name, String sourcePath, String statsJson,
            Instant createdAt) {}

    DatasetRepository(Database db, Connection connection) {
        super(db, connection);
    }

    /** Registers the file (or finds it by content) and returns its id. */
    public long register(Path file, String name, String statsJson) {
        String hash = sha256(file);
        Optional<Dataset> known = byHash(hash);
        if (known.isPresent()) {
            return known.get().id();
        }
        return update(() -> {
            try (PreparedStatement st = connection.prepareStatement("""
                    INSERT INTO datasets (content_sha256, name, source_path, stats_json, created_at_ms)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT (content_sha256) DO UPDATE SET name = name""",
                    Statement.RETURN_GENERATED_KEYS)) {
                st.setString(1, hash);
                st.setString(2, name);
                st.setString(3, file.toAbsolutePath().toString());
                st.setString(4, statsJson);
                st.setLong(5, System.currentTimeMillis());
                st.executeUpdate();
            }
            try (PreparedStatement st = connection.prepareStatement("SELECT id FROM datasets WHERE content_sha256 = ?")) {
                st.setString(1, hash);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public Optional<Dataset> byHash(String sha256) {
        return query(SELECT + " WHERE content_sha256 = ?", st -> st.setString(1, sha256), DatasetRepository::read)
                .stream().findFirst();
    }

    public List<Dataset> list() {
        return query(SELECT + " ORDER BY id", st -> { }, DatasetRepository::read);
    }

    /** Records which dataset a run used. */
    public void link(long runId, long datasetId) {
        update(() -> {
            try (PreparedStatement st = connection.prepareStatement("UPDATE runs SET dataset_id = ? WHERE id = ?")) {
                st.setLong(1, datasetId);
                st.setLong(2, runId);
                return st.executeUpdate();
            }
        });
    }

    private static final String SELECT =
            "SELECT id, content_sha256, name, source_path, stats_json, created_at_ms FROM datasets";

    private static Dataset read(ResultSet rs) throws java.sql.SQLException {
        return new Dataset(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)));
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UserError("cannot read dataset " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
