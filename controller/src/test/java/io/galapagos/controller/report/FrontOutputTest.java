package io.galapagos.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.Fixtures;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.island.TuningSettings;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.galapagos.controller.report.ReportFixtures.candidate;
import static io.galapagos.controller.report.ReportFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code best/front.json} lists exactly the evaluated programs no other beats on every objective. */
@Timeout(20)
class FrontOutputTest {

    private static RunSettings settings(Objectives.Mode mode) {
        Objectives objectives = new Objectives(mode, List.of(new Objectives.Objective("avgCost", false),
                new Objectives.Objective("deadlineMisses", false)));
        IslandSettings island = new IslandSettings(2, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0,
                TuningSettings.OFF, Constraints.OFF, objectives, io.galapagos.controller.island.Noise.OFF);
        return new RunSettings("r", "cant-be-late", 7, 2, 10, 0, 0, Optional.empty(), List.of("TRAIN"), true,
                Optional.empty(), 42, Fixtures.SEED_CODE, "avgCost", island);
    }

    private static RunHistory.Candidate evaluated(String island, long sequence, double cost, double misses) {
        return candidate(island, sequence, sequence == 0 ? Optional.empty() : Optional.of(island + "/0"),
                Optional.of(ok(-cost, Map.of("avgCost", cost, "deadlineMisses", misses, "runs", 3.0), sequence)),
                Optional.empty());
    }

    private static RunHistory history(Objectives.Mode mode) {
        List<RunHistory.Candidate> candidates = new ArrayList<>(List.of(
                evaluated("r/0", 0, 50, 0),     // on the front: never misses
                evaluated("r/0", 1, 20, 4),     // on the front: the cheapest
                evaluated("r/0", 2, 30, 1),     // on the front
                evaluated("r/1", 0, 50, 0),     // the same point as r/0/0: on the front too
                evaluated("r/1", 1, 35, 1),     // dominated by r/0/2
                evaluated("r/1", 2, 20, 6)));   // dominated by r/0/1
        // a failed evaluation with a tempting point, and one still in flight: neither is on the front
        candidates.add(candidate("r/1", 3, Optional.of("r/1/0"), Optional.of(new RunHistory.Evaluation(
                EvaluationStatus.RUNTIME_ERROR, Double.NEGATIVE_INFINITY, Map.of("avgCost", 1.0, "deadlineMisses", 0.0),
                "boom", "TRAIN", 1, "w", 9, Optional.empty())), Optional.empty()));
        candidates.add(candidate("r/1", 4, Optional.of("r/1/0"), Optional.empty(), Optional.empty()));
        return new RunHistory(Optional.of(settings(mode)), List.of(), candidates, List.of(), Map.of(), 0, Set.of());
    }

    @Test
    void frontJsonListsExactlyTheNonDominatedEvaluatedProgramsOnePerPointWithTheirCode(@TempDir Path out) throws Exception {
        RunOutputs.write(out, history(Objectives.Mode.PARETO));

        JsonNode front = new ObjectMapper().readTree(out.resolve("best/front.json").toFile());
        assertThat(front.path("objectives").toString())
                .isEqualTo("[{\"name\":\"avgCost\",\"direction\":\"min\"},{\"name\":\"deadlineMisses\",\"direction\":\"min\"}]");
        List<String> ids = new ArrayList<>();
        front.path("points").forEach(p -> ids.add(p.path("candidate").asText()));
        assertThat(ids).containsExactly("r/0/1", "r/0/2", "r/0/0");
        assertThat(front.path("points").get(2).path("equal").toString()).as("the same point").isEqualTo("[\"r/1/0\"]");
        assertThat(front.path("points").get(0).path("equal")).isEmpty();
        JsonNode cheapest = front.path("points").get(0);
        assertThat(cheapest.path("objectives").path("avgCost").asDouble()).isEqualTo(20.0);
        assertThat(cheapest.path("objectives").path("deadlineMisses").asDouble()).isEqualTo(4.0);
        assertThat(cheapest.path("objectives").has("runs")).as("objectives only").isFalse();
        assertThat(cheapest.path("score").asDouble()).isEqualTo(-20.0);
        for (JsonNode point : front.path("points")) {
            Path code = out.resolve("best").resolve(point.path("code").asText());
            assertThat(code).exists();
            assertThat(Files.readString(code)).contains("int v = " + point.path("candidate").asText().substring(4));
        }
        assertThat(new ObjectMapper().readTree(out.resolve("best/info.json").toFile()).path("candidate").asText())
                .as("the run's best stays the best score").isEqualTo("r/0/1");
    }

    @Test
    void aProgramThatLeavesTheFrontLeavesNoFileBehind(@TempDir Path out) throws Exception {
        RunOutputs.write(out, history(Objectives.Mode.PARETO));
        List<RunHistory.Candidate> more = new ArrayList<>(history(Objectives.Mode.PARETO).candidates());
        more.add(evaluated("r/1", 5, 19, 0)); // dominates every other program
        RunOutputs.write(out, new RunHistory(Optional.of(settings(Objectives.Mode.PARETO)), List.of(), more, List.of(),
                Map.of(), 0, Set.of()));

        JsonNode front = new ObjectMapper().readTree(out.resolve("best/front.json").toFile());
        assertThat(front.path("points")).hasSize(1);
        try (var folders = Files.list(out.resolve("best").resolve(RunOutputs.FRONT_DIR))) {
            assertThat(folders.map(p -> p.getFileName().toString()).toList()).containsExactly("r_1_5");
        }
    }

    @Test
    void scoreModeWritesNoFront(@TempDir Path out) {
        RunOutputs.write(out, history(Objectives.Mode.SCORE));
        assertThat(out.resolve("best/info.json")).exists();
        assertThat(out.resolve("best/front.json")).doesNotExist();
        assertThat(out.resolve("best").resolve(RunOutputs.FRONT_DIR)).doesNotExist();
    }
}
