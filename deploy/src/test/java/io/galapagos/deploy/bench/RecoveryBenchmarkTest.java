package io.galapagos.deploy.bench;

import io.galapagos.controller.dispatch.EvaluationDispatcher;
import io.galapagos.deploy.Galapagos;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The recovery figures computed from evaluation times and dispatcher samples. */
class RecoveryBenchmarkTest {

    private static final long KILL = 100_000;

    /** One evaluation every {@code gapMillis} in [from, to). */
    private static List<Long> evaluations(long from, long to, long gapMillis) {
        List<Long> times = new ArrayList<>();
        for (long t = from; t < to; t += gapMillis) {
            times.add(t);
        }
        return times;
    }

    private static RecoveryBenchmark.Sample sample(long at, long requeued, long running, long dispatcherStart) {
        return sample(at, requeued, running, 10, dispatcherStart);
    }

    private static RecoveryBenchmark.Sample sample(long at, long requeued, long running, long completed,
                                                   long dispatcherStart) {
        return new RecoveryBenchmark.Sample(at, Optional.of(new EvaluationDispatcher.Stats(0, (int) running, 2, completed,
                requeued, 0, 0, dispatcherStart, java.util.List.of())));
    }

    @Test
    void workerKillIsRequeuedWhenTheRequeueCounterRisesAndRecoveredWhenAWindowIsBackAtTheRate() {
        List<Long> times = new ArrayList<>(evaluations(KILL - 20_000, KILL, 100));   // 10/s before the kill
        times.addAll(evaluations(KILL + 8_000, KILL + 30_000, 100));                  // a gap of 8 s, then 10/s
        List<RecoveryBenchmark.Sample> samples = List.of(sample(KILL - 100, 3, 4, 1), sample(KILL + 5_000, 3, 2, 1),
                sample(KILL + 7_000, 5, 4, 1), sample(KILL + 7_100, 5, 4, 1));

        RecoveryBenchmark.Result result = RecoveryBenchmark.result(RecoveryBenchmark.Victim.WORKER, KILL, times, samples, 500);

        assertThat(result.preKillRate()).isCloseTo(10.0, within(0.2));
        assertThat(result.requeuedAfter()).contains(7.0);
        // the first 3 s window after the gap that holds 90% of 10/s ends 8 s + 2.7 s after the kill
        assertThat(result.recoveredAfter()).hasValueSatisfying(s -> assertThat(s).isBetween(10.5, 11.0));
        assertThat(result.lowestRate()).isZero();
    }

    @Test
    void controllerKillIsRequeuedWhenANewDispatcherRunsJobs() {
        List<Long> times = new ArrayList<>(evaluations(KILL - 20_000, KILL, 100));
        times.addAll(evaluations(KILL + 12_000, KILL + 30_000, 100));
        List<RecoveryBenchmark.Sample> samples = List.of(sample(KILL - 100, 0, 4, 1),
                new RecoveryBenchmark.Sample(KILL + 1_000, Optional.empty()), sample(KILL + 9_000, 0, 0, 0, 2),
                sample(KILL + 10_000, 0, 3, 0, 2));

        RecoveryBenchmark.Result result = RecoveryBenchmark.result(RecoveryBenchmark.Victim.CONTROLLER, KILL, times,
                samples, 380);

        assertThat(result.requeuedAfter()).contains(10.0);
        assertThat(result.recoveredAfter()).hasValueSatisfying(s -> assertThat(s).isBetween(14.5, 15.0));
    }

    @Test
    void killWithoutLostWorkReportsNoRequeue() {
        List<Long> times = evaluations(KILL - 20_000, KILL + 20_000, 100);
        RecoveryBenchmark.Result result = RecoveryBenchmark.result(RecoveryBenchmark.Victim.WORKER, KILL, times,
                List.of(sample(KILL - 100, 0, 0, 1), sample(KILL + 9_000, 0, 0, 1)), 400);

        assertThat(result.requeuedAfter()).isEmpty();
        assertThat(result.note()).contains("no job");
        assertThat(result.recoveredAfter()).hasValueSatisfying(s -> assertThat(s).isBetween(3.0, 3.5));
    }

    @Test
    void unknownVictimIsBadUsage() {
        StringWriter err = new StringWriter();
        int code = Galapagos.commandLine().setErr(new PrintWriter(err)).execute("bench", "recovery", "--victim", "database");
        assertThat(code).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown victim 'database'");
    }
}
