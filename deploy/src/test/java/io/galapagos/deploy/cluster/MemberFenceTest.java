package io.galapagos.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.store.Schema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database refuses the writes of a fenced member, whenever its transaction began. */
// integration lane: a PostgreSQL server
@Tag("integration")
class MemberFenceTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static String database() throws SQLException {
        String name = "fence" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        String url = postgres.getJdbcUrl("postgres", name);
        Schema.install(url, "postgres", "");
        return url;
    }

    private static Connection as(String url, String token) throws SQLException {
        return DriverManager.getConnection(url + "&ApplicationName=" + token, "postgres", "");
    }

    private static void append(Connection connection, String persistenceId, long sequence) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO event_journal (persistence_id,"
                + " sequence_number, writer, event_ser_id, event_ser_manifest, event_payload) VALUES (?, ?, 'w', 1, 'm', ?)")) {
            insert.setString(1, persistenceId);
            insert.setLong(2, sequence);
            insert.setBytes(3, new byte[]{1});
            insert.executeUpdate();
        }
    }

    private static long rows(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             ResultSet count = c.createStatement().executeQuery("SELECT count(*) FROM event_journal")) {
            count.next();
            return count.getLong(1);
        }
    }

    @Test
    void fencedMemberCannotCommitJournalRowsWhileOthersStillCan() throws Exception {
        String url = database();
        MemberFence fence = new MemberFence(url, "postgres", "");
        String removed = MemberFence.newToken();
        String survivor = MemberFence.newToken();
        try (Connection frozen = as(url, removed); Connection alive = as(url, survivor)) {
            append(frozen, "Island|run/0", 1);
            fence.fence(removed, "pekko://galapagos@127.0.0.1:2553");

            assertThatThrownBy(() -> append(frozen, "Island|run/0", 2))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(removed + " was removed from the cluster and fenced; its write to event_journal is refused");
            append(alive, "Island|run/0", 2);
        }
        assertThat(rows(url)).isEqualTo(2);
        assertThat(fence.isFenced(removed)).isTrue();
        assertThat(fence.isFenced(survivor)).isFalse();
    }

    @Test
    void writeIssuedBeforeTheFenceIsRefusedWhenItCommitsAfterIt() throws Exception {
        String url = database();
        MemberFence fence = new MemberFence(url, "postgres", "");
        String removed = MemberFence.newToken();
        try (Connection frozen = as(url, removed)) {
            frozen.setAutoCommit(false);
            append(frozen, "Run|run", 1);
            fence.fence(removed, "pekko://galapagos@127.0.0.1:2553");
            fence.fence(removed, "pekko://galapagos@127.0.0.1:2553");

            assertThatThrownBy(frozen::commit).isInstanceOf(SQLException.class).hasMessageContaining("fenced");
        }
        assertThat(rows(url)).isZero();
    }

    @Test
    void schemaWithTheFenceInstallsAgainOverItself() throws Exception {
        String url = database();

        Schema.Installed again = Schema.install(url, "postgres", "");

        assertThat(again.created()).isEmpty();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             ResultSet triggers = c.createStatement().executeQuery(
                     "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'galapagos_fence_%'")) {
            triggers.next();
            assertThat(triggers.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void memberCarriesItsTokenInItsJournalConnectionsAndItsRoles() {
        Config config = ConfigFactory.parseString("""
                pekko.cluster.roles = [controller]
                pekko-persistence-jdbc.shared-databases.slick.db.url = "jdbc:postgresql://db:5432/galapagos?ssl=false"
                """);

        Config carrying = MemberFence.carrying(config, "galapagos-0123456789abcdef");

        assertThat(carrying.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
                .isEqualTo("jdbc:postgresql://db:5432/galapagos?ssl=false&ApplicationName=galapagos-0123456789abcdef");
        assertThat(carrying.getStringList("pekko.cluster.roles"))
                .containsExactly("controller", "fence-galapagos-0123456789abcdef");
        assertThat(MemberFence.newToken()).matches("galapagos-[0-9a-f]{16}").isNotEqualTo(MemberFence.newToken());
    }
}
