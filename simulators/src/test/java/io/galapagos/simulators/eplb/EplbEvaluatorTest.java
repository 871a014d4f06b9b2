package io.galapagos.simulators.eplb;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.WorkloadException;
import io.galapagos.simulators.compile.CandidateCompiler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// integration lane: slow, simulates every workload
@Tag("integration")
class EplbEvaluatorTest {

    private static final EplbEvaluator SYNTHETIC = EplbEvaluator.load(DataSource.synthetic());

    /** One replica per expert plus the first 32 experts twice, then {@code spoil} breaks something. */
    private static ExpertPlacer simpleThen(UnaryOperator<Placement> spoil) {
        return (load, shape) -> {
            int layers = load.length;
            int experts = load[0].length;
            int[][] slotExperts = new int[layers][shape.slots()];
            int[][] counts = new int[layers][experts];
            int[][][] expertSlots = new int[layers][experts][shape.slots() - experts + 1];
            for (int l = 0; l < layers; l++) {
                for (int e = 0; e < experts; e++) {
                    java.util.Arrays.fill(expertSlots[l][e], -1);
                }
                for (int s = 0; s < shape.slots(); s++) {
                    int e = s % experts;
                    slotExperts[l][s] = e;
                    expertSlots[l][e][counts[l][e]++] = s;
                }
            }
            return spoil.apply(new Placement(slotExperts, expertSlots, counts));
        };
    }

    @Test
    void taskIsRegisteredWithTheHierarchicalSeed() {
        var task = TaskRegistry.load().require("eplb");
        assertThat(task.baselines()).extracting(b -> b.name()).containsExactly("initial");
        assertThat(task.featureMetric()).isEqualTo("balancedness");
        assertThat(task.candidateApi()).contains("interface ExpertPlacer", "record Placement", "record ClusterShape");
        assertThat(task.initialProgram().source()).contains("// EVOLVE-BLOCK-START", "// EVOLVE-BLOCK-END");
    }

    @Test
    void validSimplePlacementScoresBelowTheBaseline() throws Exception {
        EvaluationReport simple = SYNTHETIC.evaluate(() -> simpleThen(p -> p), Split.TEST);
        EvaluationReport baseline = SYNTHETIC.evaluate(new CandidateCompiler().compile(
                new EplbTask().initialProgram().source(), ExpertPlacer.class), Split.TEST);
        assertThat(simple.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(simple.metrics().get("balancedness")).isLessThan(baseline.metrics().get("balancedness"));
        assertThat(baseline.metrics().keySet()).containsExactly("balancedness", "balancednessGpu", "speed", "runtimeSeconds");
        assertThat(baseline.runs()).hasSize(20);
        assertThat(baseline.feedback()).contains("Worst window").contains("Hottest slot there");
    }

    @Test
    void splitsAreDeterministicAndTestIsHeldOut() {
        EplbEvaluator again = EplbEvaluator.load(DataSource.synthetic());
        assertThat(again.windows(Split.TEST)).isDeepEqualTo(SYNTHETIC.windows(Split.TEST));
        assertThat(SYNTHETIC.windows(Split.TEST)[0]).isNotEqualTo(SYNTHETIC.windows(Split.TRAIN)[0]);
        assertThat(SYNTHETIC.runCount(Split.SMOKE)).isEqualTo(1);
        assertThat(SYNTHETIC.windows(Split.SMOKE)[0]).hasNumberOfRows(EplbEvaluator.SMOKE_LAYERS);
        assertThat(EplbEvaluator.load(new DataSource.Synthetic(43)).windows(Split.TRAIN))
                .isDeepEqualTo(SYNTHETIC.windows(Split.TEST));
    }

    @Test
    void countsThatDoNotFillTheSlotsAreAConstraintViolation() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> simpleThen(p -> {
            p.replicaCounts()[0][0]--;
            return p;
        }), Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.violations()).containsExactly("layer 0: replica counts sum to 287, not to the 288 slots");
    }

    @Test
    void loadedExpertWithoutReplicaIsAConstraintViolation() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> simpleThen(p -> {
            // expert 255 gives its only slot to expert 0
            int slot = p.expertSlots()[1][255][0];
            p.slotExperts()[1][slot] = 0;
            p.expertSlots()[1][0][p.replicaCounts()[1][0]] = slot;
            p.replicaCounts()[1][0]++;
            p.replicaCounts()[1][255] = 0;
            p.expertSlots()[1][255][0] = -1;
            return p;
        }), Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("window 0").contains("layer 1: expert 255 has no replica but receives");
    }

    @Test
    void replicaListThatContradictsTheSlotsIsAConstraintViolation() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> simpleThen(p -> {
            p.expertSlots()[2][3][0] = p.expertSlots()[2][4][0];
            return p;
        }), Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.violations()).hasSize(1).allSatisfy(v -> assertThat(v).startsWith("layer 2: expert 3 replica 0 names slot"));
    }

    @Test
    void candidateExceptionIsARuntimeErrorNamingTheWindow() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> (load, shape) -> {
            throw new IndexOutOfBoundsException("slot 300");
        }, Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("window 0: rebalance threw").contains("slot 300");
    }

    @Test
    void loadFileIsSummedInWindowsOfOneHundredEntries(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("eplb"));
        StringBuilder json = new StringBuilder("{\"load_history\": [");
        for (int i = 0; i < 150; i++) {
            json.append(i > 0 ? "," : "").append("{\"logical_expert_load\": [[1, 2], [3, ").append(i).append("]]}");
        }
        Files.writeString(dir.resolve("eplb").resolve(ExpertLoadFile.FILE), json.append("]}"));
        long[][][] windows = ExpertLoadFile.windows(dir.resolve("eplb"));
        assertThat(windows).hasNumberOfRows(2);
        assertThat(windows[0][1]).containsExactly(300, 4950);
        assertThat(windows[1][0]).containsExactly(50, 100);
        assertThat(EplbEvaluator.load(DataSource.directory(dir)).windows(Split.TRAIN)).isDeepEqualTo(windows);
        Files.writeString(dir.resolve("eplb").resolve(ExpertLoadFile.FILE), "{\"load_history\": 3}");
        assertThatThrownBy(() -> EplbEvaluator.load(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("load_history must be a non-empty array");
    }

    @Test
    void dataDirectoryWithoutALoadFileFallsBackToTheSyntheticWorkloadAndSaysSo(@TempDir Path dir) {
        EplbEvaluator evaluator = EplbEvaluator.load(DataSource.directory(dir));
        assertThat(evaluator.windows(Split.TRAIN)).isDeepEqualTo(SYNTHETIC.windows(Split.TRAIN));
        EvaluationReport report = evaluator.evaluate(() -> simpleThen(p -> p), Split.TRAIN);
        assertThat(report.feedback()).contains("has no eplb/expert-load.json");
    }
}
