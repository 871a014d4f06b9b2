package io.galapagos.deploy.bench;

import io.galapagos.controller.island.Island;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * What the journal of a live embedded run holds, read over JDBC through the H2 server of the process that
 * runs it (its {@code AUTO_SERVER}). Rows are counted from the last ordering seen on, so a sample reads only the
 * events of its interval; the run keeps every event (snapshots delete none), so the sums stay exact.
 */
final class JournalFigures {

    /** The journal and snapshot table at one moment; {@code evaluations} counts CandidateEvaluated events. */
    record Totals(long evaluations, long journalRows, long journalBytes, long snapshotRows, long largestSnapshotBytes,
                  long snapshotBytes, long fileBytes) {
    }

    private static final String EVALUATED = Island.CandidateEvaluated.class.getName();
    private static final String IS_EVALUATED = "(\"event_ser_manifest\" = '" + EVALUATED
            + "' OR \"event_ser_manifest\" LIKE '" + EVALUATED + "#%')";

    private final Path runFolder;
    private long lastOrdering;
    private long evaluations;
    private long journalRows;
    private long journalBytes;

    JournalFigures(Path runFolder) {
        this.runFolder = runFolder;
    }

    /**
     * A connection to the journal of the run that {@code pid} (started at {@code startedMillis}) holds, or
     * empty while it does not hold it. It goes over TCP straight to the H2 server that H2's lock file names,
     * never through the {@code AUTO_SERVER} URL: with that URL, a bench that came in while the run had closed
     * the file for a moment would open it itself and serve it, and the run would write its journal through
     * the bench (and a resume after a kill would find the file locked by the bench).
     */
    Optional<Connection> open(long pid, long startedMillis) {
        Optional<Properties> lock = h2Lock(pid, startedMillis);
        if (lock.isEmpty() || lock.get().getProperty("server") == null || lock.get().getProperty("id") == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DriverManager.getConnection("jdbc:h2:tcp://" + lock.get().getProperty("server") + "/"
                    + lock.get().getProperty("id") + ";DATABASE_TO_UPPER=false", "sa", ""));
        } catch (SQLException e) {
            return Optional.empty(); // the server went away with the file (the run closed it, or died)
        }
    }

    /**
     * H2's lock file of the journal while the run's process holds the folder (its lock names it) and has
     * opened the journal since it started (H2 writes the lock file anew when a process takes the file, also
     * one a killed process left).
     */
    private Optional<Properties> h2Lock(long pid, long startedMillis) {
        try {
            String holder = Files.readString(runFolder.resolve("galapagos.lock"), StandardCharsets.UTF_8);
            Path h2Lock = runFolder.resolve("journal").resolve("galapagos.lock.db");
            if (!holder.startsWith("pid " + pid + " ") || Files.getLastModifiedTime(h2Lock).toMillis() < startedMillis) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(h2Lock, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            }
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads the events journalled since the last call and the snapshot table. */
    Totals read(Connection connection) throws SQLException {
        try (PreparedStatement events = connection.prepareStatement("SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH("
                + "\"event_payload\")), 0), COALESCE(SUM(CASE WHEN " + IS_EVALUATED + " THEN 1 ELSE 0 END), 0),"
                + " COALESCE(MAX(\"ordering\"), ?) FROM \"event_journal\" WHERE \"ordering\" > ?")) {
            events.setLong(1, lastOrdering);
            events.setLong(2, lastOrdering);
            try (ResultSet row = events.executeQuery()) {
                row.next();
                journalRows += row.getLong(1);
                journalBytes += row.getLong(2);
                evaluations += row.getLong(3);
                lastOrdering = row.getLong(4);
            }
        }
        try (PreparedStatement snapshots = connection.prepareStatement("SELECT COUNT(*), COALESCE(MAX(OCTET_LENGTH("
                + "\"snapshot_payload\")), 0), COALESCE(SUM(OCTET_LENGTH(\"snapshot_payload\")), 0) FROM \"snapshot\"");
             ResultSet row = snapshots.executeQuery()) {
            row.next();
            return new Totals(evaluations, journalRows, journalBytes, row.getLong(1), row.getLong(2), row.getLong(3),
                    fileBytes());
        }
    }

    /**
     * When the first evaluation journalled after {@code afterMillis} (the writer's clock, this machine's) was
     * written; empty while there is none. It looks only at events after the last ones {@link #read} saw.
     */
    Optional<Long> firstEvaluationAfter(Connection connection, long afterMillis) throws SQLException {
        try (PreparedStatement first = connection.prepareStatement("SELECT MIN(\"write_timestamp\") FROM \"event_journal\""
                + " WHERE \"ordering\" > ? AND \"write_timestamp\" > ? AND " + IS_EVALUATED)) {
            first.setLong(1, lastOrdering);
            first.setLong(2, afterMillis);
            try (ResultSet row = first.executeQuery()) {
                row.next();
                long at = row.getLong(1);
                return row.wasNull() ? Optional.empty() : Optional.of(at);
            }
        }
    }

    /** The size of H2's database file on disk. */
    private long fileBytes() {
        try {
            return Files.size(runFolder.resolve("journal").resolve("galapagos.mv.db"));
        } catch (IOException e) {
            return 0;
        }
    }
}
