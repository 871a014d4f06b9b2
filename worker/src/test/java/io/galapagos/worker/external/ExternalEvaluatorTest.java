package io.galapagos.worker.external;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.galapagos.worker.external.ExternalTasks.HONEST;
import static io.galapagos.worker.external.ExternalTasks.evaluate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A Python evaluator in the real jail: the protocol in both modes, OpenEvolve's cascade, and failures as statuses. */
// integration lane: evaluator processes in bwrap
@Tag("integration")
@Timeout(300)
class ExternalEvaluatorTest {

    private static Jail jail;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeTheJail() {
        jail = ExternalTasks.jail();
    }

    @Test
    void onceAndWarmModeGiveTheSameScore(@TempDir Path other) {
        TaskDirectory once = TaskDirectory.load(ExternalTasks.confTask(dir, "once", ""));
        TaskDirectory warm = TaskDirectory.load(ExternalTasks.confTask(other, "warm", ""));
        try (ExternalEvaluator a = ExternalEvaluator.start(once, jail, ExternalTasks.settings(1));
             ExternalEvaluator b = ExternalEvaluator.start(warm, jail, ExternalTasks.settings(1))) {
            SandboxOutcome first = evaluate(a, HONEST, Split.SMOKE, Split.TRAIN);
            SandboxOutcome second = evaluate(b, HONEST, Split.SMOKE, Split.TRAIN);
            SandboxOutcome again = evaluate(b, HONEST.replace("2.5", "4"), Split.SMOKE, Split.TRAIN);
            assertThat(first.status()).as(first.feedback()).isEqualTo(EvaluationStatus.OK);
            assertThat(first.score()).isEqualTo(7.5);
            assertThat(first.split()).isEqualTo(Split.TRAIN);
            assertThat(first.metrics()).containsEntry("combined_score", 7.5).containsEntry("split_length", 5.0);
            assertThat(first.feedback()).contains("solve(3) = 7.5").contains("split: TRAIN")
                    .contains("evaluating");
            assertThat(first.isolation()).startsWith("bwrap");
            assertThat(second.status()).as(second.feedback()).isEqualTo(EvaluationStatus.OK);
            assertThat(second.score()).isEqualTo(first.score());
            assertThat(second.metrics()).isEqualTo(first.metrics());
            assertThat(again.score()).isEqualTo(12.0);
        }
    }

    @Test
    void evaluatorFailuresBecomeStatuses() {
        TaskDirectory task = TaskDirectory.load(ExternalTasks.confTask(dir, "once", ""));
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(2))) {
            SandboxOutcome crash = evaluate(evaluator, "# act: crash\n", Split.TRAIN);
            assertThat(crash.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
            assertThat(crash.feedback()).contains("exited with code 3").contains("boom: the evaluator fell over");
            SandboxOutcome prose = evaluate(evaluator, "# act: prose\n", Split.TRAIN);
            assertThat(prose.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
            assertThat(prose.feedback()).contains("evaluator printed no JSON object");
            SandboxOutcome noScore = evaluate(evaluator, "# act: no-score\n", Split.TRAIN);
            assertThat(noScore.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
            assertThat(noScore.feedback()).contains("no metric 'combined_score'");
            SandboxOutcome nan = evaluate(evaluator, "# act: nan\n", Split.TRAIN);
            assertThat(nan.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
            assertThat(nan.feedback()).contains("non-finite score");
            SandboxOutcome raising = evaluate(evaluator, "def solve(x):\n    raise ValueError('bad \\x1b[31m input')\n",
                    Split.SMOKE, Split.TRAIN);
            assertThat(raising.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
            assertThat(raising.split()).as("the cascade stops at the first failing split").isEqualTo(Split.SMOKE);
            assertThat(raising.feedback()).contains("ValueError").doesNotContain("\u001b");
            assertThat(evaluate(evaluator, HONEST, Split.TRAIN).score()).isEqualTo(7.5);
        }
    }

    @Test
    void lowerIsBetterMetricIsNegatedAndSaidSo() {
        TaskDirectory task = TaskDirectory.load(ExternalTasks.confTask(dir, "once",
                "score.higher-is-better = false\n"));
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(1))) {
            SandboxOutcome outcome = evaluate(evaluator, HONEST, Split.TRAIN);
            assertThat(outcome.score()).isEqualTo(-7.5);
            assertThat(outcome.metrics()).containsEntry("combined_score", 7.5);
            assertThat(outcome.feedback()).contains("score = -combined_score").contains("lower is better");
        }
    }

    static final String OPENEVOLVE_EVALUATOR = """
            import importlib.util
            from openevolve.evaluation_result import EvaluationResult

            def _value(path):
                spec = importlib.util.spec_from_file_location("program", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return float(module.solve(3))

            def evaluate_stage1(program_path):
                value = _value(program_path)
                return EvaluationResult(metrics={"combined_score": min(value / 10.0, 1.0), "stage1": 1.0},
                                        artifacts={"stage1_note": "solve(3) = %s" % value})

            def evaluate_stage2(program_path):
                print("stage 2 runs")
                return {"combined_score": _value(program_path), "stage2": 2.0}

            def evaluate(program_path):
                return {"combined_score": _value(program_path), "full": 1.0}
            """;

    private Path openEvolveTask(String config) throws IOException {
        Files.writeString(dir.resolve("initial_program.py"), HONEST);
        Files.writeString(dir.resolve("evaluator.py"), OPENEVOLVE_EVALUATOR);
        Files.writeString(dir.resolve("config.yaml"), config);
        return dir;
    }

    @Test
    void openEvolveCascadeStopsBelowTheThresholdAndKeepsArtifacts() throws IOException {
        TaskDirectory task = TaskDirectory.load(openEvolveTask("""
                evaluator:
                  cascade_evaluation: true
                  cascade_thresholds: [0.5]
                """));
        assertThat(task.mode()).isEqualTo(TaskDirectory.Mode.WARM);
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(1))) {
            SandboxOutcome passes = evaluate(evaluator, HONEST, Split.TRAIN);
            assertThat(passes.status()).as(passes.feedback()).isEqualTo(EvaluationStatus.OK);
            assertThat(passes.score()).isEqualTo(7.5);
            assertThat(passes.metrics()).containsEntry("stage1", 1.0).containsEntry("stage2", 2.0);
            assertThat(passes.feedback()).contains("stage1_note: solve(3) = 7.5");
            SandboxOutcome stops = evaluate(evaluator, HONEST.replace("2.5", "1"), Split.TRAIN);
            assertThat(stops.status()).isEqualTo(EvaluationStatus.OK);
            assertThat(stops.score()).isCloseTo(0.3, within(1e-9));
            assertThat(stops.metrics()).containsOnlyKeys("combined_score", "stage1");
            assertThat(stops.feedback()).contains("stopped after stage 1").contains("below the threshold 0.5");
            SandboxOutcome broken = evaluate(evaluator, "def solve(x):\n    return 1/0\n", Split.TRAIN);
            assertThat(broken.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
            assertThat(broken.feedback()).contains("ZeroDivisionError");
        }
    }

    @Test
    void openEvolveWithoutCascadeRunsEvaluateAndAveragesWithoutCombinedScore() throws IOException {
        TaskDirectory task = TaskDirectory.load(openEvolveTask("evaluator:\n  cascade_evaluation: false\n"));
        Files.writeString(dir.resolve("evaluator.py"), OPENEVOLVE_EVALUATOR.replace("\"combined_score\": _value(program_path), \"full\"",
                "\"a\": _value(program_path), \"full\""));
        task = TaskDirectory.load(dir);
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(1))) {
            SandboxOutcome outcome = evaluate(evaluator, HONEST, Split.TRAIN);
            assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
            assertThat(outcome.metrics()).containsOnlyKeys("a", "full");
            assertThat(outcome.score()).isEqualTo((7.5 + 1.0) / 2);
        }
    }
}
