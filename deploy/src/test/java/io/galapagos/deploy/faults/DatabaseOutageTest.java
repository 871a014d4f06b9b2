package io.galapagos.deploy.faults;

import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.store.Schema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away in the middle of a run and comes back on the same data directory and port: a
 * {@code galapagos node} and the {@code galapagos run --cluster} client following it ride out the
 * outage, and the run completes with every proposed candidate evaluated exactly once.
 */
// integration lane: a node process, a client and an embedded PostgreSQL
@Tag("integration")
class DatabaseOutageTest {

    private static final String RUN = "outage";
    private static final long ITERATIONS = 200;
    private static final Duration OUTAGE = Duration.ofSeconds(25);

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @TempDir
    Path dataDirectory;

    private EmbeddedPostgres postgres;

    @AfterEach
    void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").start();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aRunRidesOutADatabaseOutageAndEvaluatesEveryCandidateExactlyOnce() throws Exception {
        int port = NodeProcesses.freePort();
        postgres = startPostgres(port);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE galapagos");
        }
        PostgresServer.Database database = new PostgresServer.Database(
                "jdbc:postgresql://127.0.0.1:" + port + "/galapagos", "postgres", "");
        Schema.install(database.url(), database.user(), database.password());

        FaultCluster cluster = new FaultCluster(processes, database, "");
        NodeProcesses.Child node = cluster.start("node", "controller,worker", 2, "");
        FaultCluster.awaitUp(node);
        NodeProcesses.Child client = cluster.run("client", RUN, ITERATIONS, 2, "galapagos.run.data-seed = 40");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!client.process().isAlive()) {
                throw new AssertionError(client.name() + " exited with " + client.process().exitValue());
            }
            return StoredHistory.events(database, "CandidateEvaluated") >= 20;
        });

        long lastBeforeOutage = StoredHistory.lastOrdering(database);
        postgres.close();
        postgres = null;
        // the outage itself: the node and the client following the run stay up all through it
        await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> node.process().isAlive() && client.process().isAlive());
        postgres = startPostgres(port);
        long back = System.nanoTime();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> StoredHistory.lastOrdering(database) > lastBeforeOutage);
        long resumedAfterMillis = (System.nanoTime() - back) / 1_000_000;
        System.out.println("the run wrote to the journal again " + resumedAfterMillis + " ms after the database was back");

        assertThat(client.awaitExit(Duration.ofMinutes(4))).as("exit code of galapagos run").isZero();
        System.out.println("the run completed " + (System.nanoTime() - back) / 1_000_000 + " ms after the database was back");
        RunHistory history = StoredHistory.load(database, RUN);
        StoredHistory.assertConsistent(history, ITERATIONS);
        assertThat(history.completion()).contains("iteration budget spent");
        assertThat(history.proposed()).isEqualTo(ITERATIONS);
        assertThat(history.evaluated()).as("evaluated candidates").hasSize((int) ITERATIONS);
        assertThat(node.process().isAlive()).as("the node is still up").isTrue();
    }
}
