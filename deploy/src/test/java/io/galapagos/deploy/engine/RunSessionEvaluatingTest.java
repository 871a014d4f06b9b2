package io.galapagos.deploy.engine;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resumed run's outputs start following it once every island has recovered, not once the first has: the
 * first refresh of a long run's outputs, beside islands still recovering, put their recovery past the journal's
 * timeout.
 */
@Timeout(30)
class RunSessionEvaluatingTest {

    private static final Map<Integer, Long> FIRST = Map.of(0, 100L, 1, 100L, 2, 100L);

    @Test
    void waitsUntilEveryIslandCountsMoreThanAtTheFirstAnswer() {
        assertThat(RunSession.allIslandsMovedOn(status(3, island(0, 101, false), island(1, 100, false),
                island(2, 140, false)), FIRST)).isFalse();
        assertThat(RunSession.allIslandsMovedOn(status(3, island(0, 101, false), island(1, 101, false),
                island(2, 140, false)), FIRST)).isTrue();
    }

    @Test
    void aFinishedIslandDoesNotHoldItBack() {
        assertThat(RunSession.allIslandsMovedOn(status(3, island(0, 101, false), island(1, 100, true),
                island(2, 140, false)), FIRST)).isTrue();
    }

    @Test
    void anIslandThatHasNotReportedYetHoldsItBackAndCountsFromNothingOnceItHas() {
        assertThat(RunSession.allIslandsMovedOn(status(3, island(0, 101, false), island(1, 101, false)), FIRST))
                .isFalse();
        assertThat(RunSession.allIslandsMovedOn(status(3, island(0, 101, false), island(1, 101, false),
                island(2, 0, false)), Map.of(0, 100L, 1, 100L))).isTrue();
    }

    private static IslandReport island(int islandNo, long evaluated, boolean finished) {
        return new IslandReport(islandNo, evaluated, evaluated, 0, Map.of(), 1, Optional.empty(), finished, Map.of(), "");
    }

    private static RunStatus status(int islands, IslandReport... reports) {
        EngineConfig engine = EngineConfig.from(EmbeddedNode.config(Path.of("unused"), Optional.empty(), ConfigFactory.empty()));
        RunSettings settings = new RunSettings("run", "noop", 1, islands, 1_000, 60_000, 0, Optional.empty(),
                List.of("TRAIN"), false, Optional.empty(), 0, "code", "value", engine.islands(),
                new GenerationSettings(GenerationSettings.Mode.OFFLINE, Optional.empty(), OptionalDouble.empty()));
        return new RunStatus(RunStatus.Phase.RUNNING, Optional.of(settings), List.of(reports), Optional.empty(), 0,
                Optional.empty());
    }
}
