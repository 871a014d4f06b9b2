package io.galapagos.deploy.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.run.Run;
import io.galapagos.deploy.CliRun;
import io.galapagos.deploy.CliRun.Outcome;
import org.apache.pekko.actor.ReflectiveDynamicAccess;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperFactory;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StoredRun} reads the journal without Pekko; what it reads must be what Pekko's own
 * {@code jackson-cbor} binding, configured as a node is, reads from the same rows.
 */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(180)
class StoredRunTest {

    @Test
    void everyEventOfARunReadsAsPekkosBindingReadsIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("migrating.conf");
        Files.writeString(config, "galapagos.islands.migration-interval = 3\n");
        Outcome run = CliRun.galapagos("run", "--task", "cant-be-late", "--iterations", "24", "--islands", "3",
                "--seed", "5", "--out", out.toString(), "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        Config node = EmbeddedNode.config(out, Optional.of(config), ConfigFactory.empty());
        ObjectMapper pekkos = JacksonObjectMapperProvider.createObjectMapper("jackson-cbor",
                Option.apply(new CBORFactory()), new JacksonObjectMapperFactory(),
                JacksonObjectMapperProvider.configForBinding("jackson-cbor", node),
                new ReflectiveDynamicAccess(StoredRunTest.class.getClassLoader()), Option.empty());
        Set<String> kinds = new TreeSet<>();
        int rows = 0;
        try (Connection connection = DriverManager.getConnection(EmbeddedNode.readOnlyJournalUrl(out), "sa", "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT event_ser_manifest, event_payload FROM event_journal"
                     + " WHERE persistence_id LIKE 'Run|%' OR persistence_id LIKE 'Island|%'")) {
            while (row.next()) {
                String manifest = row.getString(1);
                Class<?> type = Class.forName(manifest.contains("#") ? manifest.substring(0, manifest.indexOf('#')) : manifest);
                byte[] payload = row.getBytes(2);

                Object ours = StoredRun.JOURNAL_MAPPER.readValue(payload, type);

                assertThat(ours).as(manifest).isEqualTo(pekkos.readValue(payload, type));
                kinds.add(type.getSimpleName());
                rows++;
            }
        }
        assertThat(rows).isGreaterThan(24);
        assertThat(kinds).contains(Run.RunStarted.class.getSimpleName(), Run.RunCompleted.class.getSimpleName(),
                Island.Seeded.class.getSimpleName(), Island.CandidateProposed.class.getSimpleName(), Island.CandidateEvaluated.class.getSimpleName(),
                Island.MigrantsArrived.class.getSimpleName());
    }
}
