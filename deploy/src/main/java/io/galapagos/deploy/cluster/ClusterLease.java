package io.galapagos.deploy.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The row of {@code galapagos_cluster} that names the cluster incarnation using a database. Its oldest
 * reachable controller renews it every few seconds; a node forms a new cluster only when no other
 * incarnation renewed it within the lease timeout. Ages come from the database's clock alone (both
 * timestamps are read in one query), so clock skew between machines does not matter.
 */
public final class ClusterLease {

    /** The lease as stored: who holds it, how long ago it was renewed, whether islands have started. */
    public record Holder(String incarnation, String holder, Duration age, boolean started) {
    }

    /** What a renewal found. */
    public enum Renewal { RENEWED, LOST }

    private final String url;
    private final String user;
    private final String password;

    public ClusterLease(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The current lease, if any cluster ever formed on this database. */
    public Optional<Holder> current() throws SQLException {
        try (Connection connection = connect()) {
            return read(connection, false);
        }
    }

    /**
     * Takes the lease for a new incarnation unless another one renewed it within {@code timeout}.
     *
     * @return empty when the lease is now {@code incarnation}'s, else the live holder that keeps it
     */
    public Optional<Holder> form(String incarnation, String holder, Duration timeout) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                Optional<Holder> current = read(connection, true);
                if (current.isPresent() && !current.get().incarnation().equals(incarnation)
                        && current.get().age().compareTo(timeout) < 0) {
                    connection.rollback();
                    return current;
                }
                String sql = current.isPresent()
                        ? "UPDATE galapagos_cluster SET incarnation = ?, holder = ?, renewed_at = CURRENT_TIMESTAMP, started = FALSE WHERE id = 1"
                        : "INSERT INTO galapagos_cluster (incarnation, holder, renewed_at, started, id) VALUES (?, ?, CURRENT_TIMESTAMP, FALSE, 1)";
                try (PreparedStatement write = connection.prepareStatement(sql)) {
                    write.setString(1, incarnation);
                    write.setString(2, holder);
                    write.executeUpdate();
                }
                connection.commit();
                return Optional.empty();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Renews the lease of {@code incarnation}; {@link Renewal#LOST} when another incarnation holds it now. */
    public Renewal renew(String incarnation, String holder) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE galapagos_cluster SET holder = ?, renewed_at = CURRENT_TIMESTAMP WHERE id = 1 AND incarnation = ?")) {
            update.setString(1, holder);
            update.setString(2, incarnation);
            return update.executeUpdate() == 1 ? Renewal.RENEWED : Renewal.LOST;
        }
    }

    /** Records that the islands of {@code incarnation} have started (its first start is behind it). */
    public void markStarted(String incarnation) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE galapagos_cluster SET started = TRUE WHERE id = 1 AND incarnation = ?")) {
            update.setString(1, incarnation);
            update.executeUpdate();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static Optional<Holder> read(Connection connection, boolean forUpdate) throws SQLException {
        String sql = "SELECT incarnation, holder, renewed_at, CURRENT_TIMESTAMP AS now, started FROM galapagos_cluster WHERE id = 1"
                + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            OffsetDateTime renewed = row.getObject("renewed_at", OffsetDateTime.class);
            OffsetDateTime now = row.getObject("now", OffsetDateTime.class);
            return Optional.of(new Holder(row.getString("incarnation"), row.getString("holder"),
                    Duration.between(renewed, now), row.getBoolean("started")));
        }
    }
}
