package io.galapagos.deploy.engine;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.run.BestSummary;
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

@Timeout(30)
class ProgressLineTest {

    private static final int UNLIMITED = Integer.MAX_VALUE;

    @Test
    void aLineWithLongValuesStillFitsTheTerminalAndKeepsTheCountFirst() {
        IslandReport island = new IslandReport(0, 123_456_790, 123_456_789, 4_321, Map.of("TIMEOUT", 1_234L,
                "CRASH", 98_765L, "INVALID", 5L), 512, Optional.of(new BestSummary("run/0/123456", "run/0",
                -123456.789012, Optional.of(-98765.4321))), false,
                Map.of("a-rather-long-model-name", new CostTracker.ModelTotals(9_999, 123_456_789, 98_765_432, 1234.5678)),
                "paused: the endpoint answered 429 too many requests for 17 minutes in a row");
        RunStatus status = status(RunStatus.Phase.RUNNING, 987_654_321, 3_600_000, OptionalDouble.of(5000), island);

        String line = ProgressLine.render(status, 12345.6, ProgressLine.TERMINAL_WIDTH);

        assertThat(line.length()).isLessThanOrEqualTo(ProgressLine.TERMINAL_WIDTH);
        assertThat(line).startsWith("running 123456789/987654321").contains("ETA ").contains("best -1.2346e+05")
                .contains("failed 104325");
        assertThat(ProgressLine.render(status, 12345.6, UNLIMITED))
                .contains("failed 104325 (4321 proposals, 98765 CRASH, 5 INVALID, 1234 TIMEOUT)")
                .contains("$1234.5678 of $5000.00, 222222221 tokens").contains("paused: the endpoint answered 429");
    }

    @Test
    void theEtaFollowsTheEvaluationRate() {
        RunStatus status = status(RunStatus.Phase.RUNNING, 200, 0, OptionalDouble.empty(), island(50, 0, Map.of()));

        assertThat(ProgressLine.render(status, 2.0, UNLIMITED)).startsWith("running 50/200 evaluated | ETA 1m 15s | ");
        assertThat(ProgressLine.render(status, 0.0, UNLIMITED)).doesNotContain("ETA");
        assertThat(ProgressLine.render(status(RunStatus.Phase.COMPLETED, 50, 0, OptionalDouble.empty(),
                island(50, 0, Map.of())), 2.0, UNLIMITED)).startsWith("completed 50/50").doesNotContain("ETA");
    }

    @Test
    void failuresCountFailedProposalsAndFailedEvaluationsByStatus() {
        RunStatus none = status(RunStatus.Phase.RUNNING, 100, 0, OptionalDouble.empty(), island(10, 0, Map.of()));
        RunStatus some = status(RunStatus.Phase.RUNNING, 100, 0, OptionalDouble.empty(),
                island(10, 2, Map.of("TIMEOUT", 1L, "CRASH", 3L)));

        assertThat(ProgressLine.render(none, 1.0, UNLIMITED)).contains("| failed 0 |");
        assertThat(ProgressLine.render(some, 1.0, UNLIMITED)).contains("| failed 6 (2 proposals, 3 CRASH, 1 TIMEOUT) |");
        assertThat(ProgressLine.render(some, 1.0, 50)).contains("failed 6").doesNotContain("CRASH");
    }

    @Test
    void aNarrowLineDropsTheLeastImportantFieldsFirstAndKeepsTheirOrder() {
        RunStatus status = status(RunStatus.Phase.RUNNING, 200, 1_800_000, OptionalDouble.empty(), island(50, 0, Map.of()));

        String narrow = ProgressLine.render(status, 2.0, 40);

        assertThat(narrow).isEqualTo("running 50/200 | ETA 1m 15s | failed 0");
        assertThat(ProgressLine.render(status, 2.0, UNLIMITED)).endsWith("| in flight 1 | wall clock 30m 00s left");
    }

    private static IslandReport island(long evaluated, long failedProposals, Map<String, Long> failures) {
        return new IslandReport(0, evaluated + 1, evaluated, failedProposals, failures, 1, Optional.empty(), false,
                Map.of(), "");
    }

    private static RunStatus status(RunStatus.Phase phase, long iterations, long wallClockMillis, OptionalDouble budget,
                                    IslandReport island) {
        EngineConfig engine = EngineConfig.from(EmbeddedNode.config(Path.of("unused"), Optional.empty(), ConfigFactory.empty()));
        RunSettings settings = new RunSettings("run", "noop", 1, 1, iterations, Math.max(1, wallClockMillis), 0,
                Optional.empty(), List.of("TRAIN"), false, Optional.empty(), 0, "code", "value", engine.islands(),
                new GenerationSettings(GenerationSettings.Mode.OFFLINE, Optional.empty(), budget));
        if (wallClockMillis == 0) {
            settings = new RunSettings("run", "noop", 1, 1, iterations, Long.MAX_VALUE / 4, 0, Optional.empty(),
                    List.of("TRAIN"), false, Optional.empty(), 0, "code", "value", engine.islands(), settings.generation());
        }
        return new RunStatus(phase, Optional.of(settings), List.of(island), island.best(), 0, Optional.empty());
    }
}
