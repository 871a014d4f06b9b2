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
}
