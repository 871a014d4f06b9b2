package io.galapagos.simulators.cantbelate;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Evaluation rules of the multi-region task, on synthetic traces (no files needed). */
class CantBeLateMultiEvaluationTest {

    private static final CantBeLateMultiTask TASK = new CantBeLateMultiTask();
    private final Evaluator<MultiRegionStrategy> evaluator = TASK.evaluator(DataSource.synthetic());

    @Test
    void switchingToARegionThatDoesNotExistFailsTheEvaluation() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Wanderer implements MultiRegionStrategy {
                    @Override
                    public ClusterType step(MultiRegionEnv env, ClusterType last, boolean hasSpot) {
                        try {
                            env.switchRegion(env.regionCount());
                        } catch (IllegalArgumentException ignored) {
                            // hiding the failure does not help
                        }
                        return ClusterType.ON_DEMAND;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, MultiRegionStrategy.class),
                Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).isEqualTo("run stage_1 trace 0 (regions us-east-1a_v100_1, us-east-1c_v100_1),"
                + " tick 0: switchRegion(2) is outside 0..1");
    }

    @Test
    void nullInStepFailsTheEvaluationNamingRunAndTick() {
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Fragile implements MultiRegionStrategy {
                    @Override
                    public ClusterType step(MultiRegionEnv env, ClusterType last, boolean hasSpot) {
                        return env.tick() == 400 && env.regionCount() == 5 ? null : ClusterType.ON_DEMAND;
                    }
                }
                """;
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.compile(source, MultiRegionStrategy.class),
                Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).startsWith("run 5_regions_high_diversity trace 0 (regions ")
                .endsWith("tick 400: step returned null (expected NONE, SPOT or ON_DEMAND)");
        assertThat(report.runs()).hasSize(28);
    }

    @Test
    void syntheticEvaluationMirrorsThePublishedShape() {
        assertThat(evaluator.runCount(Split.SMOKE)).isEqualTo(1);
        assertThat(evaluator.runCount(Split.TRAIN)).isEqualTo(34);
        assertThat(evaluator.runCount(Split.TEST)).isEqualTo(14);

        EvaluationReport seed = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.TRAIN);
        EvaluationReport onDemand = evaluator.evaluate(ShippedCandidates.baseline(TASK, "on-demand"), Split.TRAIN);

        assertThat(seed.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(seed.runs()).allSatisfy(run -> assertThat(run.keySet()).containsExactly(
                "scenario", "trace", "cost", "finalTick", "finalRegion", "regionSwitches", "deadlineMissed"));
        assertThat(seed.metrics().get("regionSwitches")).isPositive();
        assertThat(seed.score()).isGreaterThan(onDemand.score());
        assertThat(seed.feedback()).contains("Worst scenarios (mean cost high → needs work):", "all_9_regions: avg=$");
    }
}
