package io.galapagos.deploy.store;

import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.controller.store.Schema;
import io.galapagos.deploy.Galapagos;
import io.galapagos.deploy.cluster.NodeProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos db init} on a real PostgreSQL server and on H2. */
// integration lane: a PostgreSQL server and node processes
@Tag("integration")
class DbInitTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }



    private static String database(String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private static List<String> tables(String url, String user, String schema) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, "");
             ResultSet found = c.getMetaData().getTables(null, schema, "%", new String[]{"TABLE"})) {
            while (found.next()) {
                names.add(found.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    @Test
    void initTwiceOnPostgresCreatesTheTablesThenFindsThemThere() throws Exception {
        String url = database("init_twice");

        Outcome first = galapagos("db", "init", "--db-url", url, "--db-user", "postgres");
        Outcome second = galapagos("db", "init", "--db-url", url, "--db-user", "postgres");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out().strip()).isEqualTo("galapagos db init: " + url
                + " (postgres): created event_journal, event_tag, snapshot, durable_state, galapagos_members, galapagos_cluster, galapagos_fenced, galapagos_task_bundles");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out().strip()).isEqualTo("galapagos db init: " + url
                + " (postgres): all tables were already there (event_journal, event_tag, snapshot, durable_state, galapagos_members, galapagos_cluster, galapagos_fenced, galapagos_task_bundles)");
        assertThat(tables(url, "postgres", "public")).containsExactlyInAnyOrderElementsOf(Schema.TABLES);
    }

    @Test
    void nodesStartingTogetherInstallTheSchemaWithoutRacing() throws Exception {
        String url = database("init_together");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Schema.Installed>> installs = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                installs.add(CompletableFuture.supplyAsync(() -> Schema.install(url, "postgres", ""), pool));
            }
            List<Schema.Installed> done = installs.stream().map(CompletableFuture::join).toList();
            assertThat(done.stream().mapToInt(i -> i.created().size()).sum()).isEqualTo(Schema.TABLES.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void initTwiceOnAnH2FileCreatesTheTablesThenFindsThemThere(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false";

        Outcome first = galapagos("db", "init", "--db-url", url);
        Outcome second = galapagos("db", "init", "--db-url", url);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("(h2): created event_journal, event_tag, snapshot, durable_state, galapagos_members, galapagos_cluster, galapagos_fenced, galapagos_task_bundles");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("(h2): all tables were already there");
        assertThat(tables(url, "sa", "PUBLIC")).containsAll(Schema.TABLES);
    }

    @Test
    void unreachableDatabaseIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("db", "init", "--db-url",
                "jdbc:postgresql://127.0.0.1:" + NodeProcess.freePort() + "/galapagos", "--db-user", "galapagos");

        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip().lines()).hasSize(1);
        assertThat(outcome.err()).startsWith("galapagos db init: cannot create the journal tables at jdbc:postgresql://127.0.0.1:");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void unsupportedUrlIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("db", "init", "--db-url", "jdbc:sqlite:/tmp/journal.db");

        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos db init: galapagos.store.url: unsupported database "
                + "'jdbc:sqlite:/tmp/journal.db' (expected jdbc:postgresql: or jdbc:h2:)");
    }
}
