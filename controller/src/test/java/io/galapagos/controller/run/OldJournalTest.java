package io.galapagos.controller.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Fixtures;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Events journalled before branched runs and budget extensions existed still read, with the old meaning. */
class OldJournalTest {

    private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());

    private static final ObjectMapper cbor = JacksonObjectMapperProvider.get(testKit.system())
            .getOrCreate("jackson-cbor", Optional.empty());

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    @Timeout(60)
    void settingsWithoutSeedProgramsOrBudgetRevisionReadAsARunOfItsFirstBudget() throws Exception {
        RunSettings settings = Fixtures.runSettings(2, 10, 1);
        ObjectNode event = cbor.valueToTree(new Run.RunStarted(settings, 1, 0));
        ((ObjectNode) event.get("settings")).remove("seedPrograms");
        ((ObjectNode) event.get("settings")).remove("budgetRevision");

        Run.RunStarted old = cbor.readValue(cbor.writeValueAsBytes(event), Run.RunStarted.class);

        assertThat(old.settings()).isEqualTo(settings);
        assertThat(old.settings().seedPrograms()).isEmpty();
        assertThat(old.settings().seedsOf(1)).containsExactly(Fixtures.SEED_CODE);
    }

    @Test
    @Timeout(60)
    void anIslandReportWithoutBudgetRevisionIsOfTheFirstBudget() throws Exception {
        IslandReport report = new IslandReport(0, 3, 3, 0, Map.of(), 0, Optional.empty(), true, Map.of(), "");
        ObjectNode event = cbor.valueToTree(new Run.ProgressRecorded(report, 5));
        ((ObjectNode) event.get("report")).remove("budgetRevision");

        Run.ProgressRecorded old = cbor.readValue(cbor.writeValueAsBytes(event), Run.ProgressRecorded.class);

        assertThat(old.report()).isEqualTo(report);
        assertThat(old.report().budgetRevision()).isZero();
    }
}
