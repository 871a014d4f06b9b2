package io.galapagos.deploy.faults;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.BestSummary;
import io.galapagos.controller.run.Run;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored history of a run, read from the PostgreSQL journal by a local actor system that joins no
 * cluster, and the checks every fault test ends with.
 */
public final class StoredHistory {

    private StoredHistory() {
    }

    public static RunHistory load(PostgresServer.Database database, String runId) {
        Config config = ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "local",
                        "galapagos.store.url", database.url(),
                        "galapagos.store.user", database.user(),
                        "galapagos.store.password", database.password(),
                        "galapagos.store.profile", "slick.jdbc.PostgresProfile$",
                        "galapagos.store.driver", "org.postgresql.Driver"))
                .withFallback(ConfigFactory.parseResources("galapagos-node.conf"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "history", config);
        try {
            return RunHistory.load(system, runId, Duration.ofSeconds(60));
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the history reader did not stop: " + e, e);
            }
        }
    }

    /** Events of a kind in the journal so far, e.g. {@code CandidateEvaluated}: read while the run goes on. */
    public static long events(PostgresServer.Database database, String kind) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM event_journal WHERE event_ser_manifest LIKE ?")) {
            query.setString(1, "%$" + kind);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + kind + " events: " + e.getMessage(), e);
        }
    }

    /** The incarnation named by the cluster lease, if a cluster ever formed on the database. */
    public static Optional<String> leaseIncarnation(PostgresServer.Database database) {
        return query(database, "SELECT incarnation FROM galapagos_cluster WHERE id = 1", rows -> rows.next()
                ? Optional.of(rows.getString(1)) : Optional.<String>empty());
    }

    /** The address of the member that formed or last renewed the cluster lease, if a cluster ever formed. */
    public static Optional<String> leaseHolder(PostgresServer.Database database) {
        return query(database, "SELECT holder FROM galapagos_cluster WHERE id = 1", rows -> rows.next()
                ? Optional.of(rows.getString(1)) : Optional.<String>empty());
    }

    /** The highest {@code ordering} in the journal so far (0 when empty). */
    public static long lastOrdering(PostgresServer.Database database) {
        return query(database, "SELECT coalesce(max(ordering), 0) FROM event_journal", rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** Whether the member at {@code address} is fenced. */
    public static boolean fenced(PostgresServer.Database database, String address) {
        return query(database, "SELECT count(*) FROM galapagos_fenced WHERE address = '" + address.replace("'", "''") + "'",
                rows -> {
                    rows.next();
                    return rows.getLong(1) > 0;
                });
    }

    /**
     * Journal rows written after {@code ordering} by a writer (a persistent actor's incarnation) that had
     * written its entity's events up to then and that another writer of the same entity replaced after
     * it: writes of a member after it was removed and its entities moved. Empty for a single writer.
     */
    public static List<String> writesOfReplacedWriters(PostgresServer.Database database, long ordering) {
        return query(database, """
                SELECT late.persistence_id, late.sequence_number, late.writer FROM event_journal late
                WHERE late.ordering > ?1
                  AND EXISTS (SELECT 1 FROM event_journal early WHERE early.persistence_id = late.persistence_id
                              AND early.writer = late.writer AND early.ordering <= ?1)
                  AND EXISTS (SELECT 1 FROM event_journal other WHERE other.persistence_id = late.persistence_id
                              AND other.writer <> late.writer AND other.ordering > ?1)
                """.replace("?1", String.valueOf(ordering)), rows -> {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1) + "#" + rows.getLong(2) + " by " + rows.getString(3));
            }
            return found;
        });
    }

    /** Entities whose events came from one writer, then another, then the first again (two live writers). */
    public static List<String> interleavedWriters(PostgresServer.Database database) {
        return query(database, """
                SELECT DISTINCT a.persistence_id FROM event_journal a
                JOIN event_journal b ON b.persistence_id = a.persistence_id AND b.sequence_number > a.sequence_number
                                    AND b.writer <> a.writer
                JOIN event_journal c ON c.persistence_id = a.persistence_id AND c.sequence_number > b.sequence_number
                                    AND c.writer = a.writer
                """, rows -> {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1));
            }
            return found;
        });
    }

    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> T query(PostgresServer.Database database, String sql, Rows<T> rows) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet result = query.executeQuery()) {
            return rows.read(result);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query the journal: " + e.getMessage(), e);
        }
    }

    /**
     * The run completed; every proposed candidate was evaluated exactly once (none twice, none
     * missing); no more were evaluated than the budget; the run's best is the best of the history.
     */
    public static void assertConsistent(RunHistory history, long iterations) {
        assertThat(history.completion()).as("how the run ended").isPresent();
        Set<String> proposed = history.candidates().stream().map(RunHistory.Candidate::candidateId)
                .collect(Collectors.toSet());
        assertThat(history.evaluationsPerCandidate())
                .as("CandidateEvaluated events per candidate")
                .allSatisfy((candidate, times) -> assertThat(times).as(candidate).isEqualTo(1));
        assertThat(history.evaluationsPerCandidate().keySet()).as("evaluated candidates")
                .containsExactlyInAnyOrderElementsOf(proposed);
        assertThat(history.inFlight()).as("candidates proposed and never evaluated").isZero();
        assertThat(history.evaluated().size()).as("evaluated candidates within the budget").isLessThanOrEqualTo((int) iterations);
        RunHistory.Candidate best = history.best().orElseThrow(() -> new AssertionError("no candidate succeeded"));
        BestSummary runBest = runBest(history).orElseThrow(() -> new AssertionError("the run recorded no best"));
        assertThat(runBest.score()).as("the run's best score").isEqualTo(best.evaluation().orElseThrow().score());
        RunHistory.Candidate named = history.candidates().stream()
                .filter(c -> c.candidateId().equals(runBest.candidateId())).findFirst()
                .orElseThrow(() -> new AssertionError("the run's best " + runBest.candidateId() + " is not in the history"));
        assertThat(named.evaluation().orElseThrow().score()).as("score of the run's best in the history")
                .isEqualTo(runBest.score());
    }

    /** The run's best as its own events record it (the best reported by any island, first of equals). */
    static Optional<BestSummary> runBest(RunHistory history) {
        Optional<BestSummary> best = Optional.empty();
        for (Run.Event event : history.runEvents()) {
            if (event instanceof Run.ProgressRecorded e && e.report().best().isPresent()) {
                BestSummary reported = e.report().best().get();
                if (best.isEmpty() || reported.score() > best.get().score()
                        || reported.candidateId().equals(best.get().candidateId())) {
                    best = Optional.of(reported);
                }
            }
        }
        return best;
    }
}
