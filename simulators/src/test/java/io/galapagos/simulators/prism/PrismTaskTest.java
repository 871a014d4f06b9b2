package io.galapagos.simulators.prism;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Candidates;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrismTaskTest {

    private static final Evaluator<PlacementPolicy> EVALUATOR = new PrismTask().evaluator(DataSource.synthetic());

    /** A candidate whose {@code place} body is {@code body}, where {@code seed} holds the greedy seed's placement. */
    private static EvaluationReport evaluate(String body) {
        String seed = new PrismTask().initialProgram().source()
                .replace("public class GreedyPlacement", "class GreedyPlacement");
        String source = """
                import io.galapagos.simulators.prism.*;
                import java.util.*;
                public class Probe implements PlacementPolicy {
                    public Map<Integer, List<Model>> place(int gpuCount, List<Model> models) {
                        Map<Integer, List<Model>> seed = new GreedyPlacement().place(gpuCount, models);
                        %s
                    }
                }
                """.formatted(body) + seed.substring(seed.indexOf("class GreedyPlacement"));
        return EVALUATOR.evaluate(Candidates.compile(source, PlacementPolicy.class), Split.TRAIN);
    }

    @Test
    void taskIsRegisteredWithItsSeed() {
        assertThat(TaskRegistry.load().find("prism")).isPresent();
        PrismTask task = new PrismTask();
        assertThat(task.initialProgram().source()).contains("// EVOLVE-BLOCK-START").contains("// EVOLVE-BLOCK-END");
        assertThat(task.candidateApi()).contains("interface PlacementPolicy").contains("record Model");
        assertThat(task.problemStatement()).contains("KV-cache pressure");
        assertThat(task.featureMetric()).isEqualTo("avgMaxKvpr");
    }

    @Test
    void splitsHaveTheirSizesAndTestIsHeldOut() {
        assertThat(EVALUATOR.runCount(Split.SMOKE)).isEqualTo(3);
        assertThat(EVALUATOR.runCount(Split.TRAIN)).isEqualTo(50);
        assertThat(EVALUATOR.runCount(Split.TEST)).isEqualTo(50);
        PrismEvaluator prism = (PrismEvaluator) EVALUATOR;
        assertThat(prism.cases(Split.TEST)).isNotEqualTo(prism.cases(Split.TRAIN));
        assertThat(prism.cases(Split.TEST)).isEqualTo(PlacementCases.generate(43, 50));
        EvaluationReport test = EVALUATOR.evaluate(Candidates.baseline(new PrismTask(), "initial"), Split.TEST);
        assertThat(test.status()).isEqualTo(EvaluationStatus.OK);
    }

    @Test
    void generatorIsDeterministic() {
        assertThat(PlacementCases.generate(7, 20)).isEqualTo(PlacementCases.generate(7, 20));
        assertThat(PlacementCases.generate(7, 20)).isNotEqualTo(PlacementCases.generate(8, 20));
    }

    @Test
    void seedPassesThroughTheProbeUnchanged() {
        assertThat(evaluate("return seed;").score()).isEqualTo(21.891622105209393);
    }

    @Test
    void modelLeftOutIsAConstraintViolationNamingIt() {
        EvaluationReport report = evaluate("seed.get(0).remove(0); return seed;");
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).startsWith("case 0 (8 GPUs, 16 models): models not placed: model_");
    }

    @Test
    void modelPlacedTwiceIsAConstraintViolation() {
        EvaluationReport report = evaluate("seed.get(1).add(seed.get(0).get(0)); return seed;");
        assertThat(report.feedback()).contains("is placed twice (GPUs 0 and 1)");
    }

    @Test
    void overfullGpuIsAConstraintViolation() {
        EvaluationReport report = evaluate("List<Model> all = new ArrayList<>(); seed.values().forEach(all::addAll); "
                + "return Map.of(0, all);");
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("GPU 0 holds").contains("more than its 80 GB");
    }

    @Test
    void inventedModelsAndUnknownGpusAreConstraintViolations() {
        assertThat(evaluate("Model m = seed.get(0).remove(0); seed.get(0).add(new Model(m.name(), 1, 1, 9, 0)); return seed;")
                .feedback()).contains("which is not one of the input models");
        assertThat(evaluate("seed.put(gpuCount, new ArrayList<>()); return seed;").feedback())
                .contains("GPU id 8 does not exist (GPUs are 0..7)");
        assertThat(evaluate("return null;").status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
    }

    @Test
    void exceptionIsARuntimeErrorNamingTheCase() {
        EvaluationReport report = evaluate("if (gpuCount == 5) throw new ArithmeticException(\"no\"); return seed;");
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("5 GPUs").contains("ArithmeticException: no");
    }

    @Test
    void aGpuFilledToExactly80GbGetsTheFullPressureAsInTheOriginal() {
        List<Model> full = List.of(new Model("a", 40, 1, 5, 0), new Model("b", 40, 1, 5, 1));
        assertThat(KvCachePressure.of(full)).isEqualTo(KvCachePressure.FULL_GPU);
        assertThat(KvCachePressure.of(List.of())).isZero();
    }

    @Test
    void numpyMeanSumsInEightLanes() {
        double[] xs = new double[50];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 0.1 * (i + 1) / 3;
        }
        double lanes = 0;
        double[] r = new double[8];
        for (int i = 0; i < 48; i++) {
            r[i % 8] += xs[i];
        }
        lanes = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + xs[48] + xs[49];
        assertThat(KvCachePressure.numpyMean(xs)).isEqualTo(lanes / 50);
    }

    @Test
    void feedbackNamesTheWorstCasesAndTheirBottleneckGpu() {
        EvaluationReport report = EVALUATOR.evaluate(Candidates.baseline(new PrismTask(), "initial"), Split.TRAIN);
        assertThat(report.feedback()).contains("highest max KVPR").containsPattern("case \\d+ \\(\\d GPUs, \\d+ models\\): max KVPR 0\\.\\d+ on GPU \\d");
    }
}
