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

    /** One evaluation every {@code gapMillis} in [from, to), the islands in turn. */
    private static List<RecoveryBenchmark.Evaluation> evaluations(long from, long to, long gapMillis, String... islands) {
        List<RecoveryBenchmark.Evaluation> times = new ArrayList<>();
        String[] names = islands.length == 0 ? new String[] {"run/0"} : islands;
        int n = 0;
        for (long t = from; t < to; t += gapMillis) {
            times.add(new RecoveryBenchmark.Evaluation(names[n++ % names.length], t));
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
        List<RecoveryBenchmark.Evaluation> times = new ArrayList<>(evaluations(KILL - 20_000, KILL, 100));   // 10/s before the kill
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
        List<RecoveryBenchmark.Evaluation> times = new ArrayList<>(evaluations(KILL - 20_000, KILL, 100));
        times.addAll(evaluations(KILL + 12_000, KILL + 30_000, 100));
        List<RecoveryBenchmark.Sample> samples = List.of(sample(KILL - 100, 0, 4, 1),
                new RecoveryBenchmark.Sample(KILL + 1_000, Optional.empty()), sample(KILL + 9_000, 0, 0, 0, 2),
                sample(KILL + 10_000, 0, 3, 0, 2));

        RecoveryBenchmark.Result result = RecoveryBenchmark.result(RecoveryBenchmark.Victim.CONTROLLER, KILL, times,
                samples, 380);

        assertThat(result.requeuedAfter()).contains(10.0);
        assertThat(result.islandsBackAfter()).contains(12.0);
        assertThat(result.recoveredAfter()).hasValueSatisfying(s -> assertThat(s).isBetween(14.5, 15.0));
    }

    @Test
    void killWithoutLostWorkReportsNoRequeue() {
        List<RecoveryBenchmark.Evaluation> times = evaluations(KILL - 20_000, KILL + 20_000, 100);
        RecoveryBenchmark.Result result = RecoveryBenchmark.result(RecoveryBenchmark.Victim.WORKER, KILL, times,
                List.of(sample(KILL - 100, 0, 0, 1), sample(KILL + 9_000, 0, 0, 1)), 400);

        assertThat(result.requeuedAfter()).isEmpty();
        assertThat(result.note()).contains("no job");
        assertThat(result.recoveredAfter()).hasValueSatisfying(s -> assertThat(s).isBetween(3.0, 3.5));
    }

    @Test
    void islandsAreBackWhenTheLastIslandThatEvaluatedBeforeTheKillEvaluatedAgain() {
        List<RecoveryBenchmark.Evaluation> times = new ArrayList<>(evaluations(KILL - 10_000, KILL, 100, "run/0", "run/1", "run/2"));
        // run/0 lived on a survivor and goes on at once; run/1 and run/2 restart elsewhere, 9 s and 12 s after the kill
        times.addAll(evaluations(KILL + 1_000, KILL + 30_000, 100, "run/0"));
        times.addAll(evaluations(KILL + 9_000, KILL + 30_000, 100, "run/1"));
        times.addAll(evaluations(KILL + 12_000, KILL + 30_000, 100, "run/2"));

        assertThat(RecoveryBenchmark.islandsBack(KILL, times)).contains(12.0);
        assertThat(RecoveryBenchmark.result(RecoveryBenchmark.Victim.CONTROLLER, KILL, times, List.of(), times.size())
                .islandsBackAfter()).contains(12.0);
        // an island that never evaluates again is not back
        assertThat(RecoveryBenchmark.islandsBack(KILL, times.stream().filter(e -> !e.island().equals("run/2")
                || e.atMillis() <= KILL).toList())).isEmpty();
        // an island that only started after the kill does not count: it was not lost
        List<RecoveryBenchmark.Evaluation> late = new ArrayList<>(times);
        late.add(new RecoveryBenchmark.Evaluation("run/3", KILL + 20_000));
        assertThat(RecoveryBenchmark.islandsBack(KILL, late)).contains(12.0);
    }

    @Test
    void theNodesPortsAreChosenTogetherSoNoTwoAreTheSame() {
        // picked one at a time, a port not yet bound by its node could be handed out again (a run lost a
        // controller to it and its survivors downed themselves)
        assertThat(RecoveryBenchmark.freePorts(12)).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void unknownVictimIsBadUsage() {
        StringWriter err = new StringWriter();
        int code = Galapagos.commandLine().setErr(new PrintWriter(err)).execute("bench", "recovery", "--victim", "database");
        assertThat(code).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown victim 'database'");
    }
}
