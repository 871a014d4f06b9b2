package io.galapagos.controller.report;

import io.galapagos.simulators.ConstraintMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.galapagos.controller.report.ReportFixtures.candidate;
import static io.galapagos.controller.report.ReportFixtures.history;
import static io.galapagos.controller.report.ReportFixtures.ok;
import static io.galapagos.controller.report.ReportFixtures.test;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class RunComparisonTest {

    private static final List<ConstraintMetric> MISSES = List.of(new ConstraintMetric("deadlineMisses", true));

    private static RunHistory.Candidate seed(Optional<RunHistory.Evaluation> test) {
        return candidate("run/0", 0, Optional.empty(), Optional.of(ok(-104, Map.of("deadlineMisses", 0.0), 1)), test);
    }

    private static RunHistory.Candidate parent(Optional<RunHistory.Evaluation> test) {
        return candidate("run/0", 3, Optional.of("run/0/0"), Optional.of(ok(-103, Map.of("deadlineMisses", 0.0), 2)),
                test);
    }

    private static RunHistory.Candidate best(double trainMisses, Optional<RunHistory.Evaluation> test) {
        return candidate("run/0", 7, Optional.of("run/0/3"),
                Optional.of(ok(-100, Map.of("deadlineMisses", trainMisses), 3)), test);
    }

    @Test
    void warnsWhenTheBestIsWorseOnTestThanTheSeedAndItsParentAndMissesMoreDeadlines() {
        RunHistory history = history(List.of(seed(Optional.of(test(-103, Map.of("deadlineMisses", 0.0)))),
                parent(Optional.of(test(-102, Map.of()))),
                best(7, Optional.of(test(-105, Map.of("deadlineMisses", 27.0))))), List.of());

        RunComparison comparison = RunComparison.of(history, MISSES, List.of(), Optional.empty(), Optional.empty());

        assertThat(comparison.warnings()).containsExactly(
                "the best scores -105.000 on TEST, worse than the seed's -103.000",
                "the best scores -105.000 on TEST, worse than its parent run/0/3's -102.000",
                "best has more deadlineMisses than seed: 7 vs 0 TRAIN, 27 vs 0 TEST");
        List<String> lines = comparison.lines("cant-be-late");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(RunComparison.COLUMNS));
        assertThat(lines.get(0)).contains("TRAIN", "TEST", "deadlineMisses");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("best run/0/7").endsWith("7/27"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("seed (initial program)").endsWith("0/0"));
        assertThat(lines).filteredOn(line -> line.startsWith("WARNING:")).hasSize(3);
    }

    @Test
    void anHonestBestGetsNoWarningAndAnUnknownTestComparesNothing() {
        RunHistory better = history(List.of(seed(Optional.empty()), parent(Optional.empty()),
                best(0, Optional.of(test(-99, Map.of("deadlineMisses", 0.0))))), List.of());
        RunComparison evaluatedSeed = RunComparison.of(better, MISSES, List.of(),
                Optional.of(new RunComparison.Outcome("OK", Optional.of(-103.0), Map.of("deadlineMisses", 0.0))),
                Optional.empty());
        assertThat(evaluatedSeed.warnings()).isEmpty();
        assertThat(evaluatedSeed.seed().flatMap(RunComparison.Row::test)).isPresent();

        RunHistory untested = history(List.of(seed(Optional.empty()), parent(Optional.empty()), best(0, Optional.empty())),
                List.of());
        RunComparison unknown = RunComparison.of(untested, MISSES, List.of(), Optional.empty(), Optional.empty());
        assertThat(unknown.warnings()).isEmpty();
        assertThat(unknown.lines("t")).anySatisfy(line -> assertThat(line).startsWith("best run/0/7").endsWith("0/-"));
        assertThat(RunComparison.seedNeedsTest(untested)).isTrue();
    }

    @Test
    void aTaskWithoutConstraintMetricsStillComparesTestScores() {
        RunHistory history = history(List.of(seed(Optional.of(test(-50, Map.of()))),
                best(99, Optional.of(test(-60, Map.of())))), List.of());

        RunComparison comparison = RunComparison.of(history, List.of(), List.of(), Optional.empty(), Optional.empty());

        assertThat(comparison.warnings()).containsExactly("the best scores -60.0000 on TEST, worse than the seed's -50.0000");
        assertThat(comparison.lines("t").get(0)).doesNotContain("deadlineMisses");
        assertThat(comparison.json().get("warnings")).isEqualTo(comparison.warnings());
    }

    @Test
    void theSummarysBaselinesAreReadBackFromTheRunsFolder(@TempDir Path out) {
        RunComparison.Row baseline = new RunComparison.Row("baseline uniform-progress", Optional.empty(),
                Optional.of(new RunComparison.Outcome("OK", Optional.of(-98.3), Map.of("deadlineMisses", 21.0))),
                Optional.of(new RunComparison.Outcome("TIMEOUT", Optional.empty(), Map.of())));
        RunHistory history = history(List.of(seed(Optional.empty()), best(0, Optional.empty())), List.of());
        RunComparison.of(history, MISSES, List.of(baseline), Optional.empty(), Optional.empty()).write(out);

        List<RunComparison.Row> read = RunComparison.baselines(out);

        assertThat(read).containsExactly(baseline);
        assertThat(RunComparison.baselines(out.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void aBestWhoseParentIsAnotherIslandsSeedShowsTheSeedOnce() {
        RunHistory.Candidate otherSeed = candidate("run/1", 0, Optional.empty(),
                Optional.of(ok(-104, Map.of("deadlineMisses", 0.0), 2)), Optional.empty());
        RunHistory.Candidate child = candidate("run/1", 5, Optional.of("run/1/0"),
                Optional.of(ok(-100, Map.of("deadlineMisses", 7.0), 3)), Optional.empty());

        RunComparison comparison = RunComparison.of(history(List.of(seed(Optional.empty()), otherSeed, child), List.of()),
                MISSES, List.of(), Optional.empty(), Optional.empty());

        assertThat(comparison.parent()).isEmpty();
        assertThat(comparison.rows()).extracting(RunComparison.Row::label)
                .containsExactly("seed (initial program)", "best run/1/5");
        assertThat(comparison.warnings()).containsExactly("best has more deadlineMisses than seed: 7 vs 0 TRAIN");
    }

    @Test
    void longWarningsWrapAtTheConsoleWidth() {
        List<String> lines = RunComparison.wrap("WARNING: " + "word ".repeat(40).strip());
        assertThat(lines).hasSizeGreaterThan(2)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(RunComparison.COLUMNS));
        assertThat(lines.get(1)).startsWith("         word");
    }
}
