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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The single-region simulator against the original evaluator's per-run costs of the greedy seed. */
class CantBeLateFidelityTest {

    private static final CantBeLateTask TASK = new CantBeLateTask();
    private static Evaluator<SpotStrategy> evaluator;

    @BeforeAll
    static void loadPublishedTraces() {
        evaluator = TASK.evaluator(AdrsData.source());
    }

    @Test
    void everyRunOfTheGreedySeedCostsWhatTheOriginalEvaluatorBilled() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(AdrsData.file("cant-be-late", "golden_costs_initial_greedy.json").toFile()).get("runs");
        Map<String, JsonNode> goldenByRun = new HashMap<>();
        for (JsonNode run : golden) {
            goldenByRun.put(key(run.get("env").asText(), run.get("trace").asText(), run.get("deadline_h").asInt(),
                    run.get("overhead_h").asDouble()), run);
        }
        assertThat(goldenByRun).hasSize(1080);

        EvaluationReport report = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.runs()).hasSize(1080);
        for (Map<String, Object> run : report.runs()) {
            String key = key((String) run.get("env"), (String) run.get("trace"), (Integer) run.get("deadlineHours"),
                    (Double) run.get("overheadHours"));
            JsonNode expected = goldenByRun.remove(key);
            assertThat(expected).as("golden run for %s", key).isNotNull();
            double cost = (Double) run.get("cost");
            double goldenCost = expected.get("cost").asDouble();
            assertThat(Math.abs(cost - goldenCost) / goldenCost).as("relative cost error of %s", key).isLessThan(1e-9);
            assertThat(run.get("finalTick")).as("final tick of %s", key).isEqualTo(expected.get("final_env_tick").asLong());
        }
        assertThat(goldenByRun).as("golden runs the evaluation did not make").isEmpty();

        assertThat(report.score()).isCloseTo(-106.746, within(5e-4));
        assertThat(report.metrics().get("avgCost")).isCloseTo(96.515, within(5e-4));
        assertThat(report.metrics().get("costStd")).isCloseTo(40.921, within(5e-4));
        assertThat(report.metrics().get("minCost")).isCloseTo(46.87, within(5e-3));
        assertThat(report.metrics().get("maxCost")).isCloseTo(148.90, within(5e-3));
        assertThat(report.metrics().get("deadlineMisses")).isZero();
    }

    @Test
    void runDetailsCarryExactlyTheDocumentedKeys() {
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.SMOKE);

        assertThat(report.runs()).hasSize(8);
        assertThat(report.runs()).allSatisfy(run -> assertThat(run.keySet()).containsExactly(
                "env", "trace", "deadlineHours", "overheadHours", "cost", "finalTick", "deadlineMissed"));
    }

    @Test
    void feedbackNamesTheFiveWorstScenariosAndReportsEveryScenario() {
        EvaluationReport report = evaluator.evaluate(ShippedCandidates.baseline(TASK, "initial"), Split.TRAIN);

        List<String> lines = report.feedback().lines().toList();
        int header = lines.indexOf("Worst scenarios (mean cost high → needs work):");
        assertThat(header).isPositive();
        assertThat(lines.subList(header + 1, header + 6)).allSatisfy(line ->
                assertThat(line).matches("- us-west-2[ab]_(k80|v100)_1 d=48 dl=\\d+ o=0\\.\\d+: avg=\\$.*, n=30"));
        assertThat(lines.get(header + 6)).isEqualTo("Deadline misses: none.");
        // 36 scenarios, each with its mean and std
        assertThat(report.metrics().keySet().stream().filter(k -> k.endsWith(".avgCost"))).hasSize(36);
        assertThat(report.metrics()).containsKey("us-west-2b_k80_1|d48_dl52_o0.4.costStd");
    }

    @Test
    void uniformProgressAndOnDemandEvaluateOnTheFullGrid() {
        EvaluationReport up = evaluator.evaluate(ShippedCandidates.baseline(TASK, "uniform-progress"), Split.TRAIN);
        EvaluationReport onDemand = evaluator.evaluate(ShippedCandidates.baseline(TASK, "on-demand"), Split.TRAIN);

        assertThat(up.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(up.runs()).hasSize(1080);
        // spot is at most a third of the on-demand price, so any spot-using policy beats on-demand only
        assertThat(up.score()).isGreaterThan(onDemand.score());
        assertThat(onDemand.metrics().get("deadlineMisses")).isZero();
        // Uniform Progress may finish one tick late, never more (the simulator's guarantee catches it)
        assertThat(up.runs()).filteredOn(run -> (Boolean) run.get("deadlineMissed")).allSatisfy(run ->
                assertThat(((Long) run.get("finalTick") - 2) * 600.0)
                        .isLessThanOrEqualTo((Integer) run.get("deadlineHours") * 3600.0 + 600));
    }

    private static String key(String env, String trace, int deadlineHours, double overheadHours) {
        return env + "/" + trace + "/" + deadlineHours + "/" + overheadHours;
    }
}
