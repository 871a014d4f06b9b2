package io.galapagos.simulators.cantbelate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The multi-region simulator against the original evaluator's per-run costs of the round-robin seed. */
class CantBeLateMultiFidelityTest {

    private static final CantBeLateMultiTask TASK = new CantBeLateMultiTask();
    private static Evaluator<MultiRegionStrategy> evaluator;

    @BeforeAll
    static void loadPublishedTraces() {
        evaluator = TASK.evaluator(AdrsData.source());
    }

    /** Read by the tests that compare with it: an imported data directory lacks it (not in the public repository). */
    private static JsonNode golden() throws IOException {
        return new ObjectMapper().readTree(AdrsData.file("cant-be-late-multi", "golden_seed_runs.json").toFile());
    }

    @Test
    void everyRunOfTheRoundRobinSeedCostsWhatTheOriginalEvaluatorBilled() throws IOException {
        EvaluationReport smoke = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.SMOKE);
        EvaluationReport train = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.TRAIN);

        assertThat(smoke.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(train.status()).isEqualTo(EvaluationStatus.OK);
        List<Map<String, Object>> runs = new ArrayList<>(smoke.runs());
        List<MultiRegionWorkload.ScheduledRun> scheduled = new ArrayList<>();
        scheduled.add(MultiRegionWorkload.load(AdrsData.source()).runs(Split.SMOKE).get(0));
        runs.addAll(train.runs());
        scheduled.addAll(MultiRegionWorkload.load(AdrsData.source()).runs(Split.TRAIN));
        JsonNode goldenRuns = golden().get("runs");
        assertThat(runs).hasSize(goldenRuns.size()).hasSize(35);

        for (int i = 0; i < runs.size(); i++) {
            JsonNode expected = goldenRuns.get(i);
            List<String> files = new ArrayList<>();
            expected.get("trace_files").forEach(f -> files.add(f.asText()));
            List<String> ours = scheduled.get(i).traces().stream().map(SpotTrace::name).toList();
            assertThat(ours).as("trace files of run %d", i).isEqualTo(files);
            assertThat(expected.get("status").asText()).isEqualTo("success");
            double cost = (Double) runs.get(i).get("cost");
            double goldenCost = expected.get("cost").asDouble();
            assertThat(Math.abs(cost - goldenCost) / goldenCost).as("relative cost error of run %d %s", i, files)
                    .isLessThan(1e-9);
        }
    }

    @Test
    void theSeedScoresExactlyTheOriginalCombinedScore() throws IOException {
        EvaluationReport train = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.TRAIN);

        assertThat(train.score()).isEqualTo(-88.37793479456109);
        JsonNode golden = golden();
        assertThat(train.score()).isCloseTo(golden.get("combined_score").asDouble(), within(1e-9));
        JsonNode means = golden.get("scenario_means");
        for (MultiRegionWorkload.Scenario scenario : MultiRegionWorkload.SCENARIOS) {
            JsonNode expected = means.isArray() ? means.get(MultiRegionWorkload.SCENARIOS.indexOf(scenario))
                    : means.get(scenario.name());
            assertThat(train.metrics().get(scenario.name() + ".avgCost")).as(scenario.name())
                    .isCloseTo(expected.asDouble(), within(1e-9));
        }
        // the seed finishes one tick after the deadline in four runs, without penalty
        assertThat(train.metrics().get("deadlineMisses")).isEqualTo(4.0);
        assertThat(train.feedback()).contains("2_zones_same_region trace 2", "3_zones_same_region trace 4");
    }

    @Test
    void onDemandWithARegionHopEveryTickIsBilledWithoutItsLastInterval() {
        // A stress policy of the specification's verification: on-demand every tick, a region hop every
        // tick, also after completion; the original scores -147.51750000000177.
        String source = """
                import io.galapagos.simulators.cantbelate.*;

                public class Hopper implements MultiRegionStrategy {
                    @Override
                    public ClusterType step(MultiRegionEnv env, ClusterType last, boolean hasSpot) {
                        env.switchRegion((env.currentRegion() + 1) % env.regionCount());
                        return ClusterType.ON_DEMAND;
                    }
                }
                """;
        EvaluationReport train = evaluator.evaluate(ShippedCandidates.compile(source, MultiRegionStrategy.class),
                Split.TRAIN);

        assertThat(train.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(train.score()).isCloseTo(-147.51750000000177, within(1e-9));
        assertThat(train.metrics().get("regionSwitches")).isPositive();
    }

    @Test
    void testSplitRunsTheTraceFilesThatTrainLeavesUnused() {
        MultiRegionWorkload workload = MultiRegionWorkload.load(AdrsData.source());
        List<String> train = workload.runs(Split.TRAIN).stream()
                .map(r -> r.scenario().name() + "/" + r.traceIndex()).toList();
        List<String> test = workload.runs(Split.TEST).stream()
                .map(r -> r.scenario().name() + "/" + r.traceIndex()).toList();

        assertThat(train).hasSize(34);
        assertThat(test).hasSize(14).doesNotContainAnyElementsOf(train);
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.TEST);
        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.runs()).hasSize(14);
    }
}
