package io.galapagos.deploy.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code galapagos_members} table: one row per cluster member, rewritten by the member every few
 * seconds ({@link MemberHeartbeat}) and read by {@code galapagos status} without joining the cluster.
 * Times come from the database's clock, so that a stale row is stale whatever the members' clocks say.
 */
public final class MemberTable {

    /** What a member reports about itself. */
    public record Report(String address, List<String> roles, String host, long pid, String status, boolean dispatcher,
                         List<String> coordinators, List<String> islands) {
    }

    /** A stored row, with its age by the database's clock when it was read. */
    public record Member(Report report, OffsetDateTime upSince, OffsetDateTime lastSeen, Duration age) {

        /** Whether the member missed its heartbeats for longer than {@code staleAfter}. */
        public boolean staleAfter(Duration staleAfter) {
            return age.compareTo(staleAfter) > 0;
        }
    }

    private static final String COLUMNS = "address, roles, host, pid, status, up_since, last_seen, dispatcher, coordinators, islands";

    private MemberTable() {
    }

    /**
     * Writes {@code report}; {@code first} restarts the row's up-since (a new process at a reused address).
     * One update, then an insert when the row is missing: the same two statements on H2 and PostgreSQL.
     */
    public static void write(Connection connection, Report report, boolean first) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE galapagos_members SET roles = ?, host = ?, "
                + "pid = ?, status = ?, dispatcher = ?, coordinators = ?, islands = ?, last_seen = CURRENT_TIMESTAMP, "
                + "up_since = CASE WHEN ? THEN CURRENT_TIMESTAMP ELSE up_since END WHERE address = ?")) {
            update.setString(1, String.join(",", report.roles()));
            update.setString(2, report.host());
            update.setLong(3, report.pid());
            update.setString(4, report.status());
            update.setBoolean(5, report.dispatcher());
            update.setString(6, String.join(",", report.coordinators()));
            update.setString(7, String.join(",", report.islands()));
            update.setBoolean(8, first);
            update.setString(9, report.address());
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO galapagos_members (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, ?, ?)")) {
            insert.setString(1, report.address());
            insert.setString(2, String.join(",", report.roles()));
            insert.setString(3, report.host());
            insert.setLong(4, report.pid());
            insert.setString(5, report.status());
            insert.setBoolean(6, report.dispatcher());
            insert.setString(7, String.join(",", report.coordinators()));
            insert.setString(8, String.join(",", report.islands()));
            insert.executeUpdate();
        }
    }

    /** Removes the row of a member that leaves gracefully. */
    public static void remove(Connection connection, String address) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM galapagos_members WHERE address = ?")) {
            delete.setString(1, address);
            delete.executeUpdate();
        }
    }

    /** Every stored member, oldest first, with its age by the database's clock. */
    public static List<Member> read(Connection connection) throws SQLException {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                + ", CURRENT_TIMESTAMP AS db_now FROM galapagos_members ORDER BY up_since, address");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                Report report = new Report(rows.getString("address"), split(rows.getString("roles")), rows.getString("host"),
                        rows.getLong("pid"), rows.getString("status"), rows.getBoolean("dispatcher"),
                        split(rows.getString("coordinators")), split(rows.getString("islands")));
                OffsetDateTime lastSeen = rows.getObject("last_seen", OffsetDateTime.class);
                OffsetDateTime now = rows.getObject("db_now", OffsetDateTime.class);
                members.add(new Member(report, rows.getObject("up_since", OffsetDateTime.class), lastSeen,
                        Duration.between(lastSeen, now)));
            }
        }
        return members;
    }

    /** Reads the table of the database at {@code url}, waiting at most {@code timeout} for a connection. */
    public static List<Member> read(String url, String user, String password, Duration timeout) {
        DriverManager.setLoginTimeout((int) Math.max(1, timeout.toSeconds()));
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return read(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cluster's members at " + url + ": " + oneLine(e.getMessage()), e);
        }
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.stream(joined.split(",")).toList();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }
}
