package io.galapagos.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.deploy.engine.EmbeddedNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How flags, the user's file and the shipped profiles become a cluster member's configuration. */
class ClusterNodeConfigTest {

    private static Config config(Map<String, Object> flags, Optional<Path> file, Map<String, String> env) {
        return ClusterNode.config(ConfigFactory.parseMap(flags), file, env::get);
    }

    @Test
    void nodeKeysBecomeRolesAddressSeedsAndMinimumControllers() {
        Config config = config(Map.of("galapagos.node.roles", List.of("worker"), "galapagos.node.host", "10.0.0.7",
                "galapagos.node.port", 25600, "galapagos.node.seeds", List.of("10.0.0.1:25520", "10.0.0.2:25520"),
                "galapagos.node.min-controllers", 2), Optional.empty(), Map.of());

        assertThat(config.getStringList("pekko.cluster.roles")).containsExactly("worker");
        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.7");
        assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25600);
        assertThat(config.getStringList("pekko.cluster.seed-nodes"))
                .containsExactly("pekko://galapagos@10.0.0.1:25520", "pekko://galapagos@10.0.0.2:25520");
        assertThat(config.getInt("galapagos.node.min-controllers")).isEqualTo(2);
        // Pekko's minimum would hold back shard allocation for good after a controller dies
        assertThat(config.hasPath("pekko.cluster.role.controller.min-nr-of-members")).isFalse();
    }

    @Test
    void theFirstSeedGetsNoPekkoSeedNodesSoThatOnlyTheLeaseCheckLetsItFormACluster() {
        Config config = config(Map.of("galapagos.node.host", "10.0.0.1", "galapagos.node.port", 25520,
                "galapagos.node.seeds", List.of("10.0.0.1:25520", "10.0.0.2:25520")), Optional.empty(), Map.of());

        assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
        assertThat(config.getStringList("galapagos.node.seeds")).containsExactly("10.0.0.1:25520", "10.0.0.2:25520");
        ClusterNode.checkSeeds(config);
    }

    @Test
    void aNodeWhoseSeedsNameOnlyItselfIsRefusedUnlessItBootstraps() {
        Config alone = config(Map.of("galapagos.node.host", "10.0.0.1", "galapagos.node.port", 25520,
                "galapagos.node.seeds", List.of("10.0.0.1:25520")), Optional.empty(), Map.of());
        assertThatThrownBy(() -> ClusterNode.checkSeeds(alone)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name only itself (10.0.0.1:25520)").hasMessageContaining("--bootstrap");
        assertThatThrownBy(() -> ClusterNode.checkSeeds(config(Map.of(), Optional.empty(), Map.of())))
                .isInstanceOf(IllegalArgumentException.class);

        Config bootstrap = config(Map.of("galapagos.node.host", "10.0.0.1", "galapagos.node.port", 25520,
                "galapagos.node.bootstrap", true), Optional.empty(), Map.of());
        ClusterNode.checkSeeds(bootstrap);
        assertThat(bootstrap.getStringList("galapagos.node.seeds")).containsExactly("10.0.0.1:25520");
        assertThat(bootstrap.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    }

    @Test
    void splitBrainResolverKeepsTheMajorityOfControllersAndIslandsAreRemembered() {
        Config config = config(Map.of(), Optional.empty(), Map.of());

        assertThat(config.getString("pekko.cluster.downing-provider-class"))
                .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
        assertThat(config.getString("pekko.cluster.split-brain-resolver.keep-majority.role")).isEqualTo("controller");
        assertThat(config.getBoolean("pekko.cluster.sharding.remember-entities")).isTrue();
        assertThat(config.getString("pekko.cluster.sharding.remember-entities-store")).isEqualTo("eventsourced");
        assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25520);
    }

    @Test
    void postgresUrlBringsItsProfileDriverAndThePasswordFromTheEnvironment() {
        Config config = config(Map.of("galapagos.store.url", "jdbc:postgresql://db:5432/galapagos",
                "galapagos.store.password-env", "DB_SECRET"), Optional.empty(), Map.of("DB_SECRET", "s3cret"));

        EngineConfig.Store store = EngineConfig.from(config).store();
        assertThat(store.profile()).isEqualTo("slick.jdbc.PostgresProfile$");
        assertThat(store.driver()).isEqualTo("org.postgresql.Driver");
        assertThat(store.password()).isEqualTo("s3cret");
        assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.profile")).isEqualTo("slick.jdbc.PostgresProfile$");
        assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url")).isEqualTo("jdbc:postgresql://db:5432/galapagos");
    }

    @Test
    void flagsOverrideTheFileAndPekkoKeysOfTheFileOverrideTheNodeKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.conf");
        Files.writeString(file, "galapagos.node.port = 26000\ngalapagos.node.host = \"10.1.1.1\"\n"
                + "pekko.cluster.split-brain-resolver.stable-after = 9s\n");
        Config config = config(Map.of("galapagos.node.port", 26001), Optional.of(file), Map.of());

        assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(26001);
        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.1.1.1");
        assertThat(config.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds()).isEqualTo(9);
    }

    @Test
    void shippedProfilesLoadAndPointAtTheirDatabases() {
        Config localH2 = ClusterNode.config(ConfigFactory.empty(), Optional.of(Path.of("conf", "local-h2.conf")), k -> null);
        assertThat(localH2.getString("galapagos.store.url")).startsWith("jdbc:h2:file:").contains("AUTO_SERVER=TRUE");
        // the journal a killed node leaves behind holds every event it acknowledged
        assertThat(localH2.getString("pekko-persistence-jdbc.shared-databases.slick.db.url")).endsWith(";WRITE_DELAY=0;LOB_TIMEOUT=" + io.galapagos.controller.store.Schema.LOB_TIMEOUT_MILLIS
                + ";MAX_LENGTH_INPLACE_LOB=" + io.galapagos.controller.store.Schema.INPLACE_LOB_BYTES);
        assertThat(localH2.getStringList("galapagos.node.seeds")).containsExactly("127.0.0.1:25520");
        // no fencing on H2: a downed member's entities must have stopped before they start elsewhere
        assertThat(localH2.getDuration("pekko.cluster.down-removal-margin"))
                .isGreaterThanOrEqualTo(localH2.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
        assertThat(EngineConfig.from(localH2).store().profile()).isEqualTo("slick.jdbc.H2Profile$");

        Config postgres = ClusterNode.config(ConfigFactory.empty(), Optional.of(Path.of("conf", "postgres.conf")),
                Map.of("GALAPAGOS_DB_PASSWORD", "pw")::get);
        assertThat(EngineConfig.from(postgres).store().url()).startsWith("jdbc:postgresql://");
        assertThat(EngineConfig.from(postgres).store().password()).isEqualTo("pw");
        assertThat(EngineConfig.from(postgres).store().profile()).isEqualTo("slick.jdbc.PostgresProfile$");
        // H2 commits one transaction at a time: one batch insert in flight gathers several islands' rows
        assertThat(localH2.getInt("jdbc-journal.parallelism")).isEqualTo(1);
        assertThat(postgres.getInt("jdbc-journal.parallelism")).isEqualTo(ClusterNode.POSTGRES_JOURNAL_WRITES);
        assertThat(postgres.getString("pekko.remote.artery.transport")).isNotEqualTo("tls-tcp");
        assertThat(postgres.getStringList("galapagos.node.seeds")).hasSize(3);
        assertThat(postgres.getInt("galapagos.node.min-controllers")).isEqualTo(3);

        Config embedded = EmbeddedNode.config(Path.of("target", "profile-out"), Optional.of(Path.of("conf", "embedded-h2.conf")),
                ConfigFactory.empty());
        assertThat(EngineConfig.from(embedded).store().url()).contains("profile-out");
    }

    @Test
    void postgresProfileWithoutItsPasswordVariableIsAClearError() {
        assertThatThrownBy(() -> ClusterNode.config(ConfigFactory.empty(), Optional.of(Path.of("conf", "postgres.conf")), k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the environment variable GALAPAGOS_DB_PASSWORD (galapagos.store.password-env) is not set");
    }

    @Test
    void clusterTlsSwitchesArteryToTlsWithThePasswordFromItsVariable(@TempDir Path dir) throws Exception {
        Path keyStore = Files.writeString(dir.resolve("key.p12"), "k");
        Path trustStore = Files.writeString(dir.resolve("trust.p12"), "t");
        Config config = config(Map.of("galapagos.cluster.tls.enabled", true,
                "galapagos.cluster.tls.key-store", keyStore.toString(),
                "galapagos.cluster.tls.trust-store", trustStore.toString()), Optional.empty(),
                Map.of("GALAPAGOS_TLS_PASSWORD", "secret"));

        assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
        assertThat(config.getString("pekko.remote.artery.ssl.config-ssl-engine.key-store")).isEqualTo(keyStore.toString());
        assertThat(config.getString("pekko.remote.artery.ssl.config-ssl-engine.key-store-password")).isEqualTo("secret");
    }
}
