package io.galapagos.controller.island;

import io.galapagos.controller.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PopulationTest {

    private static Individual program(String id, int length, double metric, double score) {
        return new Individual(id, "x".repeat(length), score, Map.of("m", metric), "", "r/0", Optional.empty(),
                Optional.empty());
    }

    private static Population grow(int count) {
        Population population = Population.empty();
        for (int i = 0; i < count; i++) {
            population = population.insert(program("c" + i, 100 + (i * 37) % 400, (i * 13) % 50, (i * 7919) % 101),
                    "m", 4, 5);
        }
        return population;
    }

    @Test
    void eachCellKeepsItsBestProgramAndTheArchiveTheBestOverall() {
        Population population = Population.empty()
                .insert(program("low", 100, 1, 1.0), "m", 4, 2)
                .insert(program("far", 500, 9, 0.5), "m", 4, 2)
                .insert(program("high", 100, 1, 2.0), "m", 4, 2);
        assertThat(population.best().orElseThrow().candidateId()).isEqualTo("high");
        assertThat(population.archive()).containsExactly("high", "low");
        assertThat(population.cells()).containsValue("high").doesNotContainValue("low");
        assertThat(population.members()).containsKeys("high", "far", "low");
    }

    @Test
    void populationStaysBoundedByGridAndArchive() {
        Population population = grow(300);
        assertThat(population.members().size()).isLessThanOrEqualTo(4 * 4 + 5);
        assertThat(population.archive()).hasSize(5);
        assertThat(population.elites().get(0).score()).isEqualTo(100.0);
    }

    @Test
    void theSameSeedMakesTheSameChoices() {
        Population population = grow(60);
        IslandSettings settings = Fixtures.islandSettings(2);
        List<String> first = IntStream.range(0, 20).mapToObj(seq -> Selection.choose(population, settings,
                new SplittableRandom(SeededRandom.derive(42, 1, seq))).parent().candidateId()).toList();
        List<String> second = IntStream.range(0, 20).mapToObj(seq -> Selection.choose(population, settings,
                new SplittableRandom(SeededRandom.derive(42, 1, seq))).parent().candidateId()).toList();
        List<String> otherIsland = IntStream.range(0, 20).mapToObj(seq -> Selection.choose(population, settings,
                new SplittableRandom(SeededRandom.derive(42, 2, seq))).parent().candidateId()).toList();
        assertThat(first).isEqualTo(second).isNotEqualTo(otherIsland);
        assertThat(first.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void eliteOnlySelectionAlwaysPicksTheBestAndInspirationsComeFromOtherCells() {
        Population population = grow(60);
        IslandSettings eliteOnly = new IslandSettings(1, 4, 5, 0, 0, 1, 3, 2, 1, 1, 1, 1, 1.0);
        Selection selection = Selection.choose(population, eliteOnly, new SplittableRandom(1));
        assertThat(selection.parent()).isEqualTo(population.best().orElseThrow());
        assertThat(selection.mode()).isEqualTo("elite");
        assertThat(selection.inspirations()).hasSize(3).doesNotContain(selection.parent());
        assertThat(selection.topPrograms()).hasSize(2).doesNotContain(selection.parent());
    }

    private static final Constraints MISSES_INITIAL = new Constraints(Constraints.Mode.INITIAL, Map.of("m", true));

    @Test
    void withConstraintsAFeasibleProgramBeatsAnyHigherScoringOneThatBreaksTheFirstProgramsLimit() {
        Population population = Population.empty()
                .insert(program("seed", 100, 2, 1.0), "m", 4, 3, MISSES_INITIAL)
                .insert(program("cheat", 300, 5, 10.0), "m", 4, 3, MISSES_INITIAL)
                .insert(program("fair", 500, 1, 3.0), "m", 4, 3, MISSES_INITIAL);
        assertThat(population.limits().atMost()).containsExactly(Map.entry("m", 2.0));
        assertThat(population.best().orElseThrow().candidateId()).isEqualTo("fair");
        assertThat(population.ranked()).extracting(Individual::candidateId).containsExactly("fair", "seed", "cheat");
        assertThat(population.archive()).containsExactly("fair", "seed", "cheat");
        assertThat(population.excess(Map.of("m", 5.0))).isEqualTo(3.0);
        // scores are untouched: the ranking changed, not the programs
        assertThat(population.members().get("cheat").score()).isEqualTo(10.0);
    }

    @Test
    void withoutConstraintsTheScoreAloneRanks() {
        Population population = Population.empty()
                .insert(program("seed", 100, 2, 1.0), "m", 4, 3, Constraints.OFF)
                .insert(program("cheat", 300, 5, 10.0), "m", 4, 3, Constraints.OFF);
        assertThat(population.limits()).isEqualTo(Constraints.Limits.NONE);
        assertThat(population.best().orElseThrow().candidateId()).isEqualTo("cheat");
    }

    @Test
    void zeroAllowsNoMissAndAmongInfeasibleProgramsFewerMissesComeFirst() {
        Constraints zero = new Constraints(Constraints.Mode.ZERO, Map.of("m", true));
        Population population = Population.empty()
                .insert(program("seed", 100, 2, 1.0), "m", 4, 4, zero)
                .insert(program("many", 200, 6, 9.0), "m", 4, 4, zero)
                .insert(program("few", 300, 1, 0.5), "m", 4, 4, zero)
                .insert(program("none", 400, 0, -5.0), "m", 4, 4, zero);
        assertThat(population.ranked()).extracting(Individual::candidateId).containsExactly("none", "few", "seed", "many");
    }

    @Test
    void aCellGoesToTheFeasibleProgramAndSelectionDrawsTheFeasibleBestAsElite() {
        Population population = Population.empty()
                .insert(program("seed", 100, 2, 1.0), "m", 1, 1, MISSES_INITIAL)
                .insert(program("cheat", 100, 5, 10.0), "m", 1, 1, MISSES_INITIAL);
        // one cell and an archive of one: the program that keeps the limit holds both, the other dies
        assertThat(population.members()).containsOnlyKeys("seed");
        IslandSettings eliteOnly = new IslandSettings(1, 1, 1, 0, 0, 1, 0, 1, 3, 1, 3, 5, 1.0);
        assertThat(Selection.choose(population, eliteOnly, new SplittableRandom(1)).parent().candidateId())
                .isEqualTo("seed");
    }

    @Test
    void higherIsBetterMetricsKeepTheFirstProgramsValueAsAFloor() {
        Constraints rate = new Constraints(Constraints.Mode.ZERO, Map.of("rate", false));
        Constraints.Limits limits = rate.limitsFrom(Map.of("rate", 0.9));
        assertThat(limits.atLeast()).containsExactly(Map.entry("rate", 0.9));
        assertThat(limits.excess(Map.of("rate", 0.5))).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(limits.excess(Map.of("other", 0.0))).isZero();
    }
}
