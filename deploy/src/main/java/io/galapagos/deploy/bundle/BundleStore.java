package io.galapagos.deploy.bundle;

import io.galapagos.worker.external.TaskBundle;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The {@code galapagos_task_bundles} table: each run's task folder, stored once at submission under the
 * hash of its archive, read by every worker that has not unpacked it yet. A row is never rewritten: the
 * hash names the bytes, so whoever stores the same hash stores the same bundle.
 */
public final class BundleStore {

    /** SQLSTATE of a unique violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final String url;
    private final String user;
    private final String password;

    public BundleStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Stores {@code bundle} unless a bundle of that hash is already there. */
    public void put(TaskBundle bundle) throws SQLException {
        try (Connection connection = connect()) {
            // A resubmitted task is already stored: do not send its bytes again.
            if (contains(connection, bundle.hash())) {
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO galapagos_task_bundles (hash, bytes, size, stored_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
                insert.setString(1, bundle.hash());
                insert.setBytes(2, bundle.bytes());
                insert.setLong(3, bundle.size());
                insert.executeUpdate();
            } catch (SQLException e) {
                // Two clients storing the same bundle at once: the later insert meets the earlier row, which
                // holds the same bytes, so losing that race is success.
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** The archive stored under {@code hash}; empty when no run stored that bundle in this database. */
    public Optional<byte[]> get(String hash) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("SELECT bytes FROM galapagos_task_bundles WHERE hash = ?")) {
            query.setString(1, hash);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getBytes("bytes")) : Optional.empty();
            }
        }
    }

    private static boolean contains(Connection connection, String hash) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM galapagos_task_bundles WHERE hash = ?")) {
            query.setString(1, hash);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
