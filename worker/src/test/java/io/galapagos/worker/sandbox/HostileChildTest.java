package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.testtask.RogueTask;
import io.galapagos.worker.sandbox.testtask.RogueTask.Attack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The parent's own layer, tested as if a candidate had got past every layer inside the child: what the
 * child writes is bounded, checked and believed only with the request's secret, and the slot goes on
 * scoring honest candidates correctly.
 */
// integration lane: sandbox child JVMs
@Tag("integration")
class HostileChildTest {

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxSettings.defaults().withSlots(1).withHeapMegabytes(128)
                .withEvaluationTimeout(Duration.ofSeconds(30))
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1")));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static SandboxOutcome attack(Attack attack) {
        return pool.evaluate(new SandboxRequest("rogue", RogueTask.ID, RogueTask.candidate(attack), Optional.empty(),
                        List.of(Split.SMOKE, Split.TRAIN), DataSource.synthetic(), false))
                .toCompletableFuture().orTimeout(120, TimeUnit.SECONDS).join();
    }

    /** Every attack ends here: the next honest candidate gets its real score from the same slot. */
    private static void assertPoolStillScoresHonestly() {
        SandboxOutcome honest = attack(Attack.HONEST);
        assertThat(honest.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(honest.score()).isEqualTo(42.0);
        assertThat(honest.split()).isEqualTo(Split.TRAIN);
    }

    @Test
    void repliesWithoutTheRequestsSecretAreDiscardedAndTheChildReplaced() {
        SandboxOutcome forged = attack(Attack.FORGED_REPLY);

        assertThat(forged.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(forged.score()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(forged.feedback()).contains("does not carry this request's secret");
        assertPoolStillScoresHonestly();
    }

    @Test
    void anEndlessReplyLineIsCutAtTheCapWithoutExhaustingTheParent() {
        SandboxOutcome flood = attack(Attack.ENDLESS_LINE);

        assertThat(flood.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(flood.feedback()).contains("a line of more than " + ChildProcess.MAX_REPLY_BYTES + " bytes");
        assertPoolStillScoresHonestly();
    }

    @Test
    void aReplyWithFieldsTheProtocolDoesNotHaveIsNotBelieved() {
        SandboxOutcome odd = attack(Attack.UNKNOWN_FIELD);

        assertThat(odd.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(odd.feedback()).contains("not the protocol's").contains("bonus");
        assertPoolStillScoresHonestly();
    }

    @Test
    void aNanScoreIsAConstraintViolationNotAScore() {
        SandboxOutcome nan = attack(Attack.NAN_SCORE);

        assertThat(nan.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(nan.score()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(nan.feedback()).contains("a score of NaN").contains("finite");
        assertPoolStillScoresHonestly();
    }

    @Test
    void anInfiniteMetricIsAConstraintViolation() {
        SandboxOutcome infinite = attack(Attack.INFINITE_METRIC);

        assertThat(infinite.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(infinite.feedback()).contains("a metric 'attack' of Infinity");
        assertPoolStillScoresHonestly();
    }

    @Test
    void killingEveryAncestorReachesNothingOutsideTheJail() {
        SandboxOutcome outcome = attack(Attack.KILL_ANCESTORS);

        // inside its PID namespace the child's only ancestor is the jail's init, which ignores the signal
        assertThat(outcome.status()).as(outcome.feedback()).isIn(EvaluationStatus.OK, EvaluationStatus.SANDBOX_CRASH);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertPoolStillScoresHonestly();
    }

    @Test
    void aProcessStartedInTheChildDiesWithItAtTheDeadline() {
        SandboxOutcome outcome = attack(Attack.ORPHAN);

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.TIMEOUT);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> orphans().isEmpty());
        assertPoolStillScoresHonestly();
    }

    /** Host processes that run the orphan's main class. */
    private static List<ProcessHandle> orphans() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(RogueTask.ORPHAN_MAIN)).orElse(false))
                .toList();
    }

    @Test
    void aThreadLeftRunningFailsTheCandidateAndRetiresTheChild() {
        SandboxOutcome threaded = attack(Attack.LEFTOVER_THREAD);

        assertThat(threaded.status()).isEqualTo(EvaluationStatus.REJECTED);
        assertThat(threaded.feedback()).contains("left 1 thread(s) running");
        assertPoolStillScoresHonestly();
    }
}
