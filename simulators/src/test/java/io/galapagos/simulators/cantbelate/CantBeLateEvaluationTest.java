package io.galapagos.simulators.cantbelate;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Evaluation rules of the single-region task, on synthetic traces (no files needed). */
class CantBeLateEvaluationTest {

    private static final CantBeLateTask TASK = new CantBeLateTask();
    private final Evaluator<SpotStrategy> evaluator = TASK.evaluator(DataSource.synthetic());

    @Test
    void exceptionInStepFailsTheEvaluationNamingRunTickAndLine() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Fragile implements SpotStrategy {
                    @Override
                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        if (env.deadlineSeconds() == 70 * 3600 && env.restartOverheadSeconds() == 720 && env.tick() == 5) {
                            throw new IllegalStateException("boom");
                        }
                        return ClusterType.ON_DEMAND;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, SpotStrategy.class), Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.score()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(report.feedback())
                .startsWith("run us-west-2a_k80_1/synthetic-0 (deadline 70 h, restart overhead 0.2 h), tick 5: ")
                .contains("java.lang.IllegalStateException: boom", "Fragile.step(Fragile.java:7)");
        // the runs before the failing one are reported: all of deadline 52 h and overhead 0.02 h of deadline 70 h
        assertThat(report.runs()).hasSize(480);
    }

    @Test
    void nullDecisionFailsTheEvaluationNamingTheRun() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Undecided implements SpotStrategy {
                    @Override
                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        return env.tick() < 3 ? ClusterType.SPOT : null;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, SpotStrategy.class), Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).isEqualTo("run us-west-2a_k80_1/synthetic-0 (deadline 52 h, restart overhead 0.02 h),"
                + " tick 3: step returned null (expected NONE, SPOT or ON_DEMAND)");
    }

    @Test
    void throwingConstructorFailsTheEvaluation() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Broken implements SpotStrategy {
                    private final int[] table = new int[-1];

                    @Override
                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        return ClusterType.NONE;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, SpotStrategy.class), Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("creating the candidate failed", "NegativeArraySizeException");
    }

    @Test
    void onDemandPaysTheWholeJobPlusOneRestartOverheadRoundedUpToTicks() {
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.baseline(TASK, "on-demand"), Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        for (Map<String, Object> run : report.runs()) {
            double overhead = (Double) run.get("overheadHours") * 3600;
            double ticks = Math.ceil((48 * 3600 + overhead) / 600);
            assertThat((Double) run.get("cost")).isCloseTo(ticks * 3.06 * 600 / 3600, within(1e-9));
            // completion is observed one tick after the last productive tick, then one more idle step
            assertThat(run.get("finalTick")).isEqualTo((long) ticks + 2);
            assertThat(run.get("deadlineMissed")).isEqualTo(false);
        }
        assertThat(report.metrics().get("costStd")).isPositive();
    }

    @Test
    void waitingForeverIsRescuedByTheSimulatorsGuarantee() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Idle implements SpotStrategy {
                    @Override
                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        return ClusterType.NONE;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, SpotStrategy.class), Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        // forced onto on-demand at the last moment, every job still finishes by its deadline
        assertThat(report.metrics().get("deadlineMisses")).isZero();
        assertThat(report.metrics().get("minCost")).isGreaterThanOrEqualTo(48 * 3.06);
    }

    @Test
    void aCandidateKeepsStateOnlyWithinOneRun() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Counting implements SpotStrategy {
                    private int calls;

                    @Override
                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        calls++;
                        if (calls != env.tick() + 1) {
                            throw new IllegalStateException("instance reused: " + calls + " calls at tick " + env.tick());
                        }
                        return ClusterType.ON_DEMAND;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, SpotStrategy.class), Split.TRAIN);

        assertThat(report.status()).as(report.feedback()).isEqualTo(EvaluationStatus.OK);
    }

    @Test
    void splitsHaveTheDocumentedSizes() {
        assertThat(evaluator.runCount(Split.SMOKE)).isEqualTo(8);
        assertThat(evaluator.runCount(Split.TRAIN)).isEqualTo(1080);
        assertThat(evaluator.runCount(Split.TEST)).isEqualTo(1080);
        assertThat(evaluator.dataSource()).isEqualTo(DataSource.synthetic());
    }

    @Test
    void sameSeedGivesTheSameEvaluation() {
        EvaluationReport first = evaluator.evaluate(ShippedCandidates.baseline(TASK, "uniform-progress"), Split.TEST);
        EvaluationReport second = TASK.evaluator(DataSource.synthetic())
                .evaluate(ShippedCandidates.baseline(TASK, "uniform-progress"), Split.TEST);
        EvaluationReport otherSeed = TASK.evaluator(new DataSource.Synthetic(7))
                .evaluate(ShippedCandidates.baseline(TASK, "uniform-progress"), Split.TEST);

        assertThat(second.runs()).isEqualTo(first.runs());
        assertThat(second.score()).isEqualTo(first.score());
        assertThat(otherSeed.score()).isNotEqualTo(first.score());
    }
}
