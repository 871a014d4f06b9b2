package io.galapagos.deploy.bench;

import io.galapagos.deploy.bench.EvaluationBreakdown.Phase;
import io.galapagos.deploy.bench.EvaluationBreakdown.Row;
import io.galapagos.deploy.bench.EvaluationBreakdown.Table;
import io.galapagos.protocol.EvaluationTimeline;
import io.galapagos.protocol.EvaluationTimeline.Mark;
import io.galapagos.protocol.EvaluationTimeline.Span;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The breakdown's phases, percentiles and shares, from marks and spans given by hand. */
class EvaluationBreakdownTest {

    private static final long MS = 1_000_000;

    /** Marks 1 ms apart from {@code start} (in ms), except a worker of {@code workerMs}; spans as given. */
    private static void evaluation(EvaluationBreakdown recorder, String id, long start, long workerMs, long simulationMs) {
        long t = start * MS;
        recorder.mark(id, Mark.GENERATION_STARTED, t);
        recorder.mark(id, Mark.GENERATED, t += MS);
        recorder.mark(id, Mark.PROPOSAL_RECEIVED, t += MS);
        recorder.mark(id, Mark.SUBMITTED, t += MS);
        recorder.mark(id, Mark.HANDED_TO_WORKER, t += MS);
        recorder.mark(id, Mark.WORKER_DONE, t += workerMs * MS);
        recorder.mark(id, Mark.RESULT_ARRIVED, t += MS);
        recorder.mark(id, Mark.EVALUATION_PERSISTED, t + MS);
        recorder.span(id, Span.STATIC_CHECK, MS);
        recorder.span(id, Span.COMPILE, 2 * MS);
        recorder.span(id, Span.SIMULATION, simulationMs * MS);
    }

    @Test
    void phasesOfAnEvaluationAddUpToItsWholeWay() {
        EvaluationBreakdown recorder = new EvaluationBreakdown();
        evaluation(recorder, "i/1#selection", 0, 10, 4);

        List<Map<Phase, Long>> done = recorder.completed();

        assertThat(done).hasSize(1);
        Map<Phase, Long> phases = done.get(0);
        assertThat(phases.get(Phase.GENERATION)).isEqualTo(MS);
        assertThat(phases.get(Phase.SIMULATION)).isEqualTo(4 * MS);
        // the worker's 10 ms minus the 7 ms of its measured spans
        assertThat(phases.get(Phase.WORKER_OTHER)).isEqualTo(3 * MS);
        assertThat(phases.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(16 * MS);
    }

    @Test
    void evaluationsMissingAMarkAreLeftOut() {
        EvaluationBreakdown recorder = new EvaluationBreakdown();
        evaluation(recorder, "i/1#selection", 0, 10, 4);
        recorder.mark("i/2#selection", Mark.GENERATION_STARTED, 0);
        recorder.mark("i/2#selection", Mark.GENERATED, MS); // a duplicate: never submitted

        assertThat(recorder.completed()).hasSize(1);
    }

    @Test
    void theFirstMarkCountsWhenAnEvaluationIsSubmittedAgain() {
        EvaluationBreakdown recorder = new EvaluationBreakdown();
        evaluation(recorder, "i/1#selection", 0, 10, 4);
        recorder.mark("i/1#selection", Mark.HANDED_TO_WORKER, 500 * MS);
        recorder.span("i/1#selection", Span.SIMULATION, 400 * MS);

        Map<Phase, Long> phases = recorder.completed().get(0);

        assertThat(phases.get(Phase.DISPATCH_WAIT)).isEqualTo(MS);
        assertThat(phases.get(Phase.SIMULATION)).isEqualTo(4 * MS);
    }

    @Test
    void rowsGiveMeanNearestRankPercentilesAndShareOfInFlightCapacity() {
        EvaluationBreakdown recorder = new EvaluationBreakdown();
        for (int i = 1; i <= 20; i++) {
            evaluation(recorder, "i/" + i + "#selection", i * 100L, 30, i); // simulation 1..20 ms
        }

        // 20 evaluations with 2 in flight over 1 s: capacity 2 s
        Table table = recorder.table(1000 * MS, 2);

        Row simulation = table.rows().get(Phase.SIMULATION.ordinal());
        assertThat(simulation.label()).isEqualTo(Phase.SIMULATION.label());
        assertThat(simulation.mean()).isCloseTo(10.5, within(1e-9));
        assertThat(simulation.p50()).isEqualTo(10.0);
        assertThat(simulation.p95()).isEqualTo(19.0);
        assertThat(simulation.share()).isCloseTo(210.0 / 2000, within(1e-9));
        // every evaluation took 36 ms in all: 720 ms of 2000 ms of capacity
        assertThat(table.total().mean()).isCloseTo(36.0, within(1e-9));
        assertThat(table.total().share()).isCloseTo(0.36, within(1e-9));
        assertThat(table.rows().stream().mapToDouble(Row::share).sum()).isCloseTo(0.36, within(1e-9));
        assertThat(table.evaluationsPerSecond()).isCloseTo(20.0, within(1e-9));
        assertThat(table.wallPerEvaluation()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void percentilesOfFewValuesAreValuesThatOccurred() {
        assertThat(Table.percentile(new long[] {7}, 95)).isEqualTo(7.0);
        assertThat(Table.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2.0);
        assertThat(Table.percentile(new long[] {1, 2, 3, 4}, 95)).isEqualTo(4.0);
        assertThat(Table.percentile(new long[0], 50)).isZero();
    }

    @Test
    void markdownHasARowPerPhaseTheTotalAndTheIdleCapacity() {
        EvaluationBreakdown recorder = new EvaluationBreakdown();
        evaluation(recorder, "i/1#selection", 0, 10, 4);

        String markdown = recorder.table(64 * MS, 1).markdown();

        for (Phase phase : Phase.values()) {
            assertThat(markdown).contains("| " + phase.label() + " |");
        }
        assertThat(markdown).contains("| total: generator call to persisted result | 16.00 | 16.00 | 16.00 | 25.0% |")
                .contains("| rest of the capacity (start-up, seeds, idle) | | | | 75.0% |");
    }

    @Test
    void aRecorderIsInstalledOnceAndReceivesMarksUntilClosed() {
        EvaluationBreakdown recorder = new EvaluationBreakdown();
        try (EvaluationTimeline.Installed installed = EvaluationTimeline.install(recorder)) {
            assertThatThrownBy(() -> EvaluationTimeline.install(new EvaluationBreakdown()))
                    .isInstanceOf(IllegalStateException.class);
            for (Mark mark : Mark.values()) {
                EvaluationTimeline.mark("i/1#selection", mark);
            }
        }
        EvaluationTimeline.mark("i/2#selection", Mark.GENERATION_STARTED);

        assertThat(recorder.completed()).hasSize(1);
        assertThat(recorder.table(1000 * MS, 1).evaluations()).isEqualTo(1);
    }

    @Test
    void aTableNeedsAWallTimeAndCapacity() {
        assertThatThrownBy(() -> new EvaluationBreakdown().table(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
