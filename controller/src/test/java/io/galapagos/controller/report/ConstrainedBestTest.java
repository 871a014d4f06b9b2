package io.galapagos.controller.report;

import io.galapagos.controller.Fixtures;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.run.BestSummary;
import io.galapagos.controller.run.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.galapagos.controller.report.ReportFixtures.candidate;
import static io.galapagos.controller.report.ReportFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConstrainedBestTest {

    private static RunSettings settings(Constraints.Mode mode) {
        IslandSettings island = new IslandSettings(2, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0,
                io.galapagos.controller.island.TuningSettings.OFF, new Constraints(mode, Map.of("deadlineMisses", true)));
        return new RunSettings("r", "cant-be-late", 7, 2, 10, 0, 0, Optional.empty(), List.of("TRAIN"), true,
                Optional.empty(), 42, Fixtures.SEED_CODE, "value", island);
    }

    private static final List<RunHistory.Candidate> CANDIDATES = List.of(
            candidate("r/0", 0, Optional.empty(), Optional.of(ok(-10, Map.of("deadlineMisses", 0.0), 1)), Optional.empty()),
            candidate("r/1", 0, Optional.empty(), Optional.of(ok(-10, Map.of("deadlineMisses", 0.0), 2)), Optional.empty()),
            candidate("r/1", 1, Optional.of("r/1/0"), Optional.of(ok(-8, Map.of("deadlineMisses", 0.0), 3)), Optional.empty()),
            candidate("r/0", 1, Optional.of("r/0/0"), Optional.of(ok(-1, Map.of("deadlineMisses", 5.0), 4)), Optional.empty()));

    /** The islands' bests as their BestChanged events recorded them, with constraints on. */
    private static final Map<String, Double> ISLAND_BESTS = Map.of("r/0/0", 0.0, "r/1/0", 0.0, "r/1/1", 0.0);

    private static RunHistory history(Constraints.Mode mode, Map<String, Double> islandBests) {
        return new RunHistory(Optional.of(settings(mode)), List.of(), CANDIDATES, List.of(), Map.of(), 0, Set.of(),
                islandBests);
    }

    @Test
    void withConstraintsTheRunsBestIsTheFeasibleIslandBestNotTheHigherScoringProgramThatMissesMore() {
        RunHistory history = history(Constraints.Mode.INITIAL, ISLAND_BESTS);
        assertThat(history.best().orElseThrow().candidateId()).isEqualTo("r/1/1");
        assertThat(history.bestOf("r/0").orElseThrow().candidateId()).isEqualTo("r/0/0");
        assertThat(history.constraintExcess("r/1/1")).contains(0.0);
    }

    @Test
    void withConstraintsOffTheScoreAloneNamesTheBest() {
        RunHistory history = history(Constraints.Mode.OFF, Map.of("r/0/0", 0.0, "r/0/1", 0.0));
        assertThat(history.best().orElseThrow().candidateId()).isEqualTo("r/0/1");
    }

    @Test
    void aBestWithSmallerExcessBeatsAHigherScoreAndEqualExcessFallsBackToTheScore() {
        BestSummary feasible = new BestSummary("a", "r/0", -10, Optional.empty(), 0);
        BestSummary cheat = new BestSummary("b", "r/1", -1, Optional.empty(), 3);
        BestSummary better = new BestSummary("c", "r/1", -9, Optional.empty(), 0);
        assertThat(feasible.beats(cheat)).isTrue();
        assertThat(cheat.beats(feasible)).isFalse();
        assertThat(better.beats(feasible)).isTrue();
        assertThat(feasible.beats(feasible)).isFalse();
    }
}
