package io.galapagos.deploy;

import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.island.TuningSettings;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code status} lists a Pareto run's front: each program with its objective values. */
@Timeout(20)
public class StatusFrontTest {

    private static RunHistory.Candidate candidate(long sequence, double cost, double misses) {
        return new RunHistory.Candidate("run/0/" + sequence, "run/0", sequence, "class C {}", Optional.empty(),
                "offline", "", Usage.NONE, Optional.of(new RunHistory.Evaluation(EvaluationStatus.OK, -cost,
                Map.of("avgCost", cost, "deadlineMisses", misses), "", "TRAIN", 1, "w", sequence, Optional.empty())),
                Optional.empty());
    }

    /** Three programs of one island: two on the front (in pareto mode), one dominated. */
    public static RunHistory history(Objectives.Mode mode) {
        Objectives objectives = new Objectives(mode, List.of(new Objectives.Objective("avgCost", false),
                new Objectives.Objective("deadlineMisses", false)));
        IslandSettings island = new IslandSettings(2, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0,
                TuningSettings.OFF, Constraints.OFF, objectives, io.galapagos.controller.island.Noise.OFF);
        RunSettings settings = new RunSettings("run", "cant-be-late", 7, 1, 10, 0, 0, Optional.empty(),
                List.of("TRAIN"), false, Optional.empty(), 42, "class C {}", "", island);
        return new RunHistory(Optional.of(settings), List.of(), List.of(candidate(0, 50, 0), candidate(1, 20, 3),
                candidate(2, 30, 3)), List.of(), Map.of(), 0, Set.of());
    }

    @Test
    void aParetoRunShowsItsFrontInTextAndJson() throws Exception {
        Map<String, Object> report = StatusCommand.report(history(Objectives.Mode.PARETO), List.of());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) ((Map<String, Object>) report.get("front")).get("points");
        assertThat(points).extracting(p -> p.get("candidate")).containsExactly("run/0/1", "run/0/0");
        assertThat(points.get(0).get("objectives")).isEqualTo(Map.of("avgCost", 20.0, "deadlineMisses", 3.0));

        StringWriter text = new StringWriter();
        StatusCommand.print(Optional.of(history(Objectives.Mode.PARETO)), Optional.empty(), false, new PrintWriter(text));
        assertThat(text.toString()).contains("pareto front: 2 points")
                .contains("  candidate        avgCost (min) deadlineMisses (min)  score\n")
                .contains("  run/0/1                20.0000              3.00000  -20.0000\n")
                .doesNotContainPattern("run/0/2 +30");
    }

    @Test
    void aScoreRunShowsNoFront() throws Exception {
        assertThat(StatusCommand.report(history(Objectives.Mode.SCORE), List.of())).doesNotContainKey("front");
        StringWriter text = new StringWriter();
        StatusCommand.print(Optional.of(history(Objectives.Mode.SCORE)), Optional.empty(), false, new PrintWriter(text));
        assertThat(text.toString()).doesNotContain("pareto front");
    }
}
