package io.galapagos.worker.external;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.prism.PlacementPolicy;
import io.galapagos.simulators.prism.PrismTask;
import io.galapagos.simulators.AdrsData;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The folders under {@code examples/} at the repository root, evaluated unchanged through the jailed external
 * evaluator. Needs python3, gcc and bubblewrap (without them the tests fail) and the published data (without it
 * they skip locally and fail under CI).
 */
// integration lane: evaluator processes in bwrap
@Tag("integration")
@Timeout(600)
class ExampleTasksTest {

    private static Jail jail;

    @BeforeAll
    static void makeTheJail() {
        jail = ExternalTasks.jail();
    }

    /** Surefire runs in the module directory; the repository root is its parent. */
    static Path example(String name) {
        Path dir = Path.of("").toAbsolutePath().getParent().resolve("examples").resolve(name);
        assertThat(dir).as("the example folder").isDirectory();
        return dir;
    }

    /** The published data as Maven passes it; missing, the tests skip locally and fail under CI. */
    static Path adrsData() {
        return AdrsData.task("prism").getParent();
    }

    private static SandboxOutcome evaluate(ExternalEvaluator evaluator, String source, List<Split> cascade,
                                           Optional<Path> data) {
        try {
            return evaluator.evaluate(source, cascade, data).toCompletableFuture().get(300, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within 300 s", e);
        }
    }

    private static List<Split> splits(TaskDirectory task) {
        return task.splits().stream().map(Split::valueOf).toList();
    }

    /** Every baseline (the initial program first) evaluated with the task's own splits. */
    private static Map<String, SandboxOutcome> baselines(TaskDirectory task, Optional<Path> data) {
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(1))) {
            Map<String, SandboxOutcome> outcomes = new java.util.LinkedHashMap<>();
            task.baselines().forEach((name, source) -> outcomes.put(name, evaluate(evaluator, source, splits(task), data)));
            outcomes.forEach((name, outcome) -> assertThat(outcome.status()).as(name + ": " + outcome.feedback())
                    .isEqualTo(EvaluationStatus.OK));
            return outcomes;
        }
    }

    @Test
    void pythonSchedulingBaselinesEvaluateAndTheWorstInstancesAreNamed() {
        TaskDirectory task = TaskDirectory.load(example("python-scheduling"));
        assertThat(task.mode()).isEqualTo(TaskDirectory.Mode.WARM);
        assertThat(task.splits()).containsExactly("SMOKE", "TRAIN");
        Map<String, SandboxOutcome> outcomes = baselines(task, Optional.empty());
        assertThat(outcomes).containsOnlyKeys("initial", "spt");
        SandboxOutcome initial = outcomes.get("initial");
        assertThat(initial.split()).isEqualTo(Split.TRAIN);
        assertThat(initial.score()).as("lower is better: negated").isEqualTo(-initial.metrics().get("mean_flow_time"));
        assertThat(initial.feedback()).contains("furthest above the lower bound").contains("- instance ");
        assertThat(outcomes.get("spt").score()).as("SPT beats first come, first served").isGreaterThan(initial.score());
    }

    @Test
    void cPackingCompilesInTheJailAndChecksThePackingItself() {
        TaskDirectory task = TaskDirectory.load(example("c-packing"));
        assertThat(task.mode()).isEqualTo(TaskDirectory.Mode.ONCE);
        assertThat(task.language()).isEqualTo("c");
        Map<String, SandboxOutcome> outcomes = baselines(task, Optional.empty());
        assertThat(outcomes.get("initial").score()).isBetween(0.5, 1.0);
        assertThat(outcomes.get("best-fit").score()).isGreaterThan(outcomes.get("initial").score()).isLessThanOrEqualTo(1.0);
        assertThat(outcomes.get("initial").feedback()).contains("instances furthest from the lower bound");
    }

    @Test
    void cCandidateThatDoesNotCompileIsACompileErrorWithTheCompilersMessage() {
        TaskDirectory task = TaskDirectory.load(example("c-packing"));
        String broken = task.initialProgram().replace("free_space[b] -= size[i];", "free_space[b] -= size[i]");
        String lying = task.initialProgram().replace("bin[i] = b;", "bin[i] = 0;");
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(1))) {
            SandboxOutcome outcome = evaluate(evaluator, broken, splits(task), Optional.empty());
            assertThat(outcome.status()).isEqualTo(EvaluationStatus.COMPILE_ERROR);
            assertThat(outcome.split()).isEqualTo(Split.SMOKE);
            assertThat(outcome.feedback()).contains("program.c:").contains("error: expected");
            SandboxOutcome overfull = evaluate(evaluator, lying, splits(task), Optional.empty());
            assertThat(overfull.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
            assertThat(overfull.feedback()).contains("bin 0 holds").contains("more than the capacity");
        }
    }

    @Test
    void openEvolveCircleRunsTheCascadeWarnsAboutUnsupportedKeysAndKeepsArtifacts() {
        TaskDirectory task = TaskDirectory.load(example("openevolve-circle"));
        assertThat(task.openEvolve()).isPresent();
        assertThat(task.openEvolve().get().unsupportedKeys())
                .contains("prompt.num_top_programs", "database.population_size", "evaluator.parallel_evaluations");
        SandboxOutcome initial = baselines(task, Optional.empty()).get("initial");
        assertThat(initial.metrics()).containsKeys("sum_radii_6", "sum_radii_26");
        assertThat(initial.feedback()).contains("weakest: n = ").contains("stopped after stage 2");
        assertThat(initial.score()).as("stage 2's score, below the second threshold").isCloseTo(0.5525, within(1e-4));
    }

    @Test
    void prismTwinScoresExactlyLikeTheJavaTaskOnThePublishedData() throws Exception {
        Path data = adrsData();
        TaskDirectory task = TaskDirectory.load(example("prism-python"));
        PrismTask java = new PrismTask();
        var evaluator = java.evaluator(DataSource.directory(data));
        var compiled = new CandidateCompiler().compile(java.baseline("initial").orElseThrow().source(), PlacementPolicy.class);
        try (ExternalEvaluator python = ExternalEvaluator.start(task, jail, ExternalTasks.settings(1))) {
            for (Split split : List.of(Split.SMOKE, Split.TRAIN, Split.TEST)) {
                EvaluationReport expected = evaluator.evaluate(compiled, split);
                SandboxOutcome actual = evaluate(python, task.initialProgram(), List.of(split), Optional.of(data));
                assertThat(actual.status()).as(actual.feedback()).isEqualTo(EvaluationStatus.OK);
                assertThat(actual.score()).as(split.name()).isEqualTo(expected.score());
                assertThat(actual.metrics()).as(split.name()).isEqualTo(expected.metrics());
            }
        }
        assertThat(evaluator.evaluate(compiled, Split.TRAIN).score()).isEqualTo(21.891622105209393);
        assertThat(Files.readString(example("prism-python").resolve("README.md"))).contains("21.891622105209393");
    }
}
