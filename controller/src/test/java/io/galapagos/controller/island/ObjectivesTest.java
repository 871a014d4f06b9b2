package io.galapagos.controller.island;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ObjectivesTest {

    /** Can't-Be-Late's trade-off: mean cost and deadline misses, both lower is better. */
    private static final Objectives COST_AND_MISSES = new Objectives(Objectives.Mode.PARETO, List.of(
            new Objectives.Objective("avgCost", false), new Objectives.Objective("deadlineMisses", false)));

    private static Individual program(String id, double cost, double misses) {
        return program(id, cost, misses, -cost);
    }

    private static Individual program(String id, double cost, double misses, double score) {
        return new Individual(id, "code of " + id + " ".repeat((int) cost), score,
                Map.of("avgCost", cost, "deadlineMisses", misses), "", "r/0", Optional.empty(), Optional.empty());
    }

    private static List<String> ids(List<Individual> programs) {
        return programs.stream().map(Individual::candidateId).toList();
    }

    @Test
    void aPointDominatesOnlyWhenNoWorseEverywhereAndBetterSomewhere() {
        assertThat(Objectives.dominates(new double[]{2, 1}, new double[]{1, 1})).isTrue();
        assertThat(Objectives.dominates(new double[]{1, 1}, new double[]{2, 1})).isFalse();
        assertThat(Objectives.dominates(new double[]{1, 1}, new double[]{1, 1})).as("equal points").isFalse();
        assertThat(Objectives.dominates(new double[]{2, 0}, new double[]{1, 1})).as("a trade-off").isFalse();
        assertThat(Objectives.dominates(new double[]{1, 0}, new double[]{2, 1})).isFalse();
    }

    @Test
    void directionsTurnWhichProgramDominates() {
        Individual cheap = program("cheap", 10, 3);
        Individual dear = program("dear", 20, 3);
        assertThat(Objectives.dominates(COST_AND_MISSES.point(cheap.score(), cheap.metrics()),
                COST_AND_MISSES.point(dear.score(), dear.metrics()))).as("lower cost is better").isTrue();
        Objectives maximised = new Objectives(Objectives.Mode.PARETO, List.of(
                new Objectives.Objective("avgCost", true), new Objectives.Objective("deadlineMisses", false)));
        assertThat(Objectives.dominates(maximised.point(dear.score(), dear.metrics()),
                maximised.point(cheap.score(), cheap.metrics()))).as("higher is better").isTrue();
        Objectives score = new Objectives(Objectives.Mode.PARETO, List.of(Objectives.Objective.SCORE));
        assertThat(score.point(7.5, Map.of())).containsExactly(7.5);
    }

    @Test
    void theFrontKeepsEqualPointsAndTiesAndDropsEveryDominatedProgram() {
        List<Individual> programs = List.of(
                program("a", 10, 2), program("twinOfA", 10, 2), // equal points: both on the front
                program("b", 12, 0),
                program("c", 10, 3), // same cost as a, more misses: dominated
                program("d", 12, 1), // same cost as b, more misses: dominated
                program("e", 8, 5),
                program("f", 15, 0)); // same misses as b, dearer: dominated
        Function<Individual, double[]> point = i -> COST_AND_MISSES.point(i.score(), i.metrics());

        List<Individual> front = Objectives.front(programs, point);

        assertThat(ids(front)).as("cheapest first; equal points in their given order")
                .containsExactly("e", "a", "twinOfA", "b");
        assertThat(ids(Objectives.fronts(programs, point).get(0))).containsExactlyInAnyOrderElementsOf(ids(front));
    }

    @Test
    void zeroAndMinusZeroAreTheSameValue() {
        // minimising 0 misses gives -0.0; a program at 0.0 on the other must not hide the one that dominates it
        List<double[]> points = List.of(new double[]{0.0, 1}, new double[]{-0.0, 2});
        assertThat(Objectives.front(points, p -> p)).containsExactly(points.get(1));
    }

    @Test
    void aProgramWithoutAnObjectiveMetricIsTheWorstThere() {
        Individual silent = new Individual("silent", "x", 0, Map.of("avgCost", 1.0), "", "r/0", Optional.empty(),
                Optional.empty());
        Individual loud = program("loud", 1, 9);
        assertThat(ids(Objectives.front(List.of(silent, loud), i -> COST_AND_MISSES.point(i.score(), i.metrics()))))
                .containsExactly("loud");
    }

    @Test
    void frontsPeelLevelByLevelAndCrowdingPrefersTheEnds() {
        List<Individual> programs = List.of(program("a", 1, 9), program("b", 5, 5), program("c", 9, 1),
                program("b2", 6, 6), program("z", 10, 10));
        Function<Individual, double[]> point = i -> COST_AND_MISSES.point(i.score(), i.metrics());

        List<List<Individual>> fronts = Objectives.fronts(programs, point);

        assertThat(fronts.stream().map(ObjectivesTest::ids).toList())
                .containsExactly(List.of("a", "b", "c"), List.of("b2"), List.of("z"));
        Map<Individual, Double> crowding = Objectives.crowding(fronts.get(0), point);
        assertThat(crowding.get(programs.get(0))).isInfinite();
        assertThat(crowding.get(programs.get(2))).isInfinite();
        assertThat(crowding.get(programs.get(1))).isEqualTo(2.0); // (9-1)/8 on each objective
    }

    @Test
    void paretoRankingPutsTheWholeFrontBeforeAHigherScoringDominatedProgram() {
        // the score rewards cost only: "late" has the best score of the dominated ones but misses more than "b"
        List<Individual> programs = List.of(program("a", 10, 4), program("b", 12, 0), program("late", 11, 5),
                program("dear", 20, 6));

        List<Individual> ranked = COST_AND_MISSES.rank(programs, Population.BEST_FIRST);

        assertThat(ids(ranked)).containsExactly("a", "b", "late", "dear");
        assertThat(ids(Objectives.SCORE.rank(programs, Population.BEST_FIRST)))
                .as("score mode: the scalar order").containsExactly("a", "late", "b", "dear");
    }

    @Test
    void scoreModeBuildsTheSamePopulationAsBeforeWhateverTheTaskDeclares() {
        Objectives declaredButOff = new Objectives(Objectives.Mode.SCORE, COST_AND_MISSES.objectives());
        Population before = Population.empty();
        Population now = Population.empty();
        for (int i = 0; i < 80; i++) {
            Individual p = program("c" + i, (i * 37) % 50, (i * 13) % 7, (i * 7919) % 101);
            before = before.insert(p, "avgCost", 4, 5, Constraints.OFF);
            now = now.insert(p, "avgCost", 4, 5, Constraints.OFF, declaredButOff);
        }
        assertThat(now.archive()).isEqualTo(before.archive());
        assertThat(now.cells()).isEqualTo(before.cells());
        assertThat(ids(now.ranked())).isEqualTo(ids(before.ranked()));
        IslandSettings settings = new IslandSettings(1, 4, 5, 0.3, 0.3, 0.4, 2, 2, 1, 1, 1, 1, 1.0);
        for (int seed = 0; seed < 20; seed++) {
            assertThat(Selection.choose(now, settings, new SplittableRandom(seed)).parent().candidateId())
                    .isEqualTo(Selection.choose(before, settings, new SplittableRandom(seed)).parent().candidateId());
        }
    }

    @Test
    void theParetoArchiveKeepsTheFrontOverHigherScores() {
        Population population = Population.empty();
        // a cheap program that misses often, a dear one that never misses, and two in between that are dominated
        for (Individual p : List.of(program("cheapLate", 5, 9), program("dearOnTime", 30, 0),
                program("mid", 10, 9), program("mid2", 11, 9.5))) {
            population = population.insert(p, "avgCost", 1, 2, Constraints.OFF, COST_AND_MISSES);
        }
        assertThat(population.archive()).containsExactly("cheapLate", "dearOnTime");
        assertThat(population.best().orElseThrow().candidateId()).as("the best stays the best score")
                .isEqualTo("cheapLate");
        assertThat(ids(population.front())).containsExactly("cheapLate", "dearOnTime");
    }

    @Test
    void inParetoModeTheEliteParentIsDrawnFromTheWholeFront() {
        Objectives scoreOnly = new Objectives(Objectives.Mode.SCORE, COST_AND_MISSES.objectives());
        Population pareto = Population.empty();
        Population scalar = Population.empty();
        for (Individual p : List.of(program("a", 5, 9), program("b", 10, 4), program("c", 30, 0),
                program("dominated", 31, 9))) {
            pareto = pareto.insert(p, "avgCost", 2, 4, Constraints.OFF, COST_AND_MISSES);
            scalar = scalar.insert(p, "avgCost", 2, 4, Constraints.OFF, scoreOnly);
        }
        IslandSettings eliteOnly = new IslandSettings(1, 2, 4, 0, 0, 1, 0, 2, 1, 1, 1, 1, 1.0,
                TuningSettings.OFF, Constraints.OFF, COST_AND_MISSES, Noise.OFF);
        IslandSettings eliteOnlyScalar = new IslandSettings(1, 2, 4, 0, 0, 1, 0, 2, 1, 1, 1, 1, 1.0,
                TuningSettings.OFF, Constraints.OFF, scoreOnly, Noise.OFF);
        Set<String> parents = new HashSet<>();
        for (int seed = 0; seed < 40; seed++) {
            Selection selection = Selection.choose(pareto, eliteOnly, new SplittableRandom(seed));
            assertThat(selection.mode()).isEqualTo("elite");
            parents.add(selection.parent().candidateId());
            assertThat(Selection.choose(scalar, eliteOnlyScalar, new SplittableRandom(seed))
                    .parent().candidateId()).as("score mode: always the best").isEqualTo("a");
        }
        assertThat(parents).containsExactlyInAnyOrder("a", "b", "c");
    }
}
