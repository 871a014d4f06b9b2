package io.galapagos.deploy;

import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code status} names the constraints a run ranks by and how far each island's best goes past them. */
@Timeout(20)
class StatusConstraintsTest {

    private static RunHistory.Candidate candidate(String island, long sequence, double score, double misses) {
        return new RunHistory.Candidate(island + "/" + sequence, island, sequence, "class C {}", Optional.empty(),
                "offline", "", Usage.NONE, Optional.of(new RunHistory.Evaluation(EvaluationStatus.OK, score,
                Map.of("deadlineMisses", misses), "", "TRAIN", 1, "w", sequence, Optional.empty())), Optional.empty());
    }

    private static RunHistory history(Constraints.Mode mode) {
        IslandSettings island = new IslandSettings(2, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0,
                io.galapagos.controller.island.TuningSettings.OFF, new Constraints(mode, Map.of("deadlineMisses", true)));
        RunSettings settings = new RunSettings("run", "cant-be-late", 7, 1, 10, 0, 0, Optional.empty(),
                List.of("TRAIN"), false, Optional.empty(), 42, "class C {}", "", island);
        return new RunHistory(Optional.of(settings), List.of(), List.of(candidate("run/0", 0, -10, 0),
                candidate("run/0", 1, -2, 7)), List.of(), Map.of(), 0, Set.of(), Map.of("run/0/0", 0.0));
    }

    @Test
    void aConstrainedRunShowsItsModeAndTheFeasibleBest() {
        Map<String, Object> report = StatusCommand.report(history(Constraints.Mode.INITIAL), List.of());
        assertThat(report.get("constraints")).isEqualTo(Map.of("mode", "initial", "metrics", List.of("deadlineMisses")));
        @SuppressWarnings("unchecked")
        Map<String, Object> island = ((List<Map<String, Object>>) report.get("islands")).get(0);
        assertThat(island).containsEntry("best", "run/0/0").containsEntry("bestScore", -10.0).containsEntry("bestExcess", 0.0);
    }

    @Test
    void aRunWithoutConstraintsReportsAsBefore() {
        Map<String, Object> report = StatusCommand.report(history(Constraints.Mode.OFF), List.of());
        assertThat(report).doesNotContainKey("constraints");
        @SuppressWarnings("unchecked")
        Map<String, Object> island = ((List<Map<String, Object>>) report.get("islands")).get(0);
        assertThat(island).containsEntry("best", "run/0/1").doesNotContainKey("bestExcess");
    }
}
