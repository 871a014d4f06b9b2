package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.deploy.cluster.ClusterNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedNodeConfigTest {

    @Test
    void journalLivesUnderTheOutputDirectoryUnlessTheUserFileSaysOtherwise(@TempDir Path dir) throws Exception {
        Config defaults = EmbeddedNode.config(dir, Optional.empty(), ConfigFactory.empty());
        assertThat(defaults.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
                .startsWith("jdbc:h2:file:" + dir.resolve("journal")).contains("DATABASE_TO_UPPER=false")
                .contains("AUTO_SERVER=TRUE")
                .as("read BLOBs let go soon").contains(";LOB_TIMEOUT=").doesNotContain("WRITE_DELAY");
        assertThat(defaults.getInt("jdbc-journal.parallelism")).as("one journal transaction in flight gathers the islands' rows")
                .isEqualTo(1);
        assertThat(EmbeddedNode.storeConfig(dir, Optional.empty(), false).getString("galapagos.store.url"))
                .as("the resume's first open sets the database's settings for the node that joins it")
                .isEqualTo(defaults.getString("galapagos.store.url"));

        Path file = dir.resolve("user.conf");
        Files.writeString(file, "galapagos.store.url = \"jdbc:postgresql://db/galapagos\"\ngalapagos.worker.slots = 3\n");
        Config user = EmbeddedNode.config(dir, Optional.of(file), ConfigFactory.empty());
        assertThat(user.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
                .isEqualTo("jdbc:postgresql://db/galapagos");
        assertThat(EmbeddedNode.workerSlots(user)).isEqualTo(3);

        Config flags = EmbeddedNode.config(dir, Optional.of(file), ConfigFactory.parseMap(Map.of("galapagos.worker.slots", 5)));
        assertThat(EmbeddedNode.workerSlots(flags)).isEqualTo(5);
    }

    @Test
    void theOneMemberClusterTicksQuicklyWhereAClusterMemberKeepsPekkosTimings(@TempDir Path dir) throws Exception {
        Config embedded = EmbeddedNode.config(dir, Optional.empty(), ConfigFactory.empty());
        Duration tick = Duration.ofMillis(100);
        assertThat(embedded.getDuration("pekko.cluster.leader-actions-interval")).isEqualTo(tick);
        assertThat(embedded.getDuration("pekko.cluster.singleton.hand-over-retry-interval")).isEqualTo(tick);
        assertThat(embedded.getDuration("pekko.cluster.sharding.coordinator-singleton.hand-over-retry-interval"))
                .as("the coordinators' copy of the singleton settings").isEqualTo(tick);

        // a member of a real cluster gossips with others: its leader ticks as galapagos-cluster.conf says, and
        // its singletons retry their hand-over at Pekko's pace
        Config member = ClusterNode.config(ConfigFactory.empty(), Optional.empty(), name -> null);
        assertThat(member.getDuration("pekko.cluster.leader-actions-interval")).isEqualTo(Duration.ofMillis(500));
        assertThat(member.getDuration("pekko.cluster.gossip-interval")).isEqualTo(Duration.ofMillis(500));
        assertThat(member.getDuration("pekko.cluster.singleton.hand-over-retry-interval")).isEqualTo(Duration.ofSeconds(1));
        assertThat(embedded.getDuration("pekko.cluster.gossip-interval")).as("no one to gossip with")
                .isEqualTo(Duration.ofSeconds(1));

        Path file = dir.resolve("user.conf");
        Files.writeString(file, "pekko.cluster.leader-actions-interval = 2s\n");
        assertThat(EmbeddedNode.config(dir, Optional.of(file), ConfigFactory.empty())
                .getDuration("pekko.cluster.leader-actions-interval")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void workerKeysAreRead(@TempDir Path dir) {
        Config zero = EmbeddedNode.config(dir, Optional.empty(), ConfigFactory.parseMap(Map.of(
                "galapagos.worker.slots", 0, "galapagos.worker.announce-interval", "7s")));
        assertThat(EmbeddedNode.workerSlots(zero)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(zero.getDuration("galapagos.worker.announce-interval")).isEqualTo(Duration.ofSeconds(7));
        Config negative = EmbeddedNode.config(dir, Optional.empty(), ConfigFactory.parseMap(Map.of("galapagos.worker.slots", -1)));
        assertThatThrownBy(() -> EmbeddedNode.workerSlots(negative)).hasMessageContaining("galapagos.worker.slots");
    }
}
