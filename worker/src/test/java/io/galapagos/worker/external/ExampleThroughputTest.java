package io.galapagos.worker.external;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints evaluations per second of the python-scheduling and c-packing examples in once and warm mode (each
 * evaluation SMOKE then TRAIN, the tasks' cascade); asserts no timing.
 */
// integration lane: evaluator processes in bwrap
@Tag("integration")
@Timeout(900)
class ExampleThroughputTest {

    private static final int EVALUATIONS = 12;
    private static final int SLOTS = 2;

    @Test
    void printsEvaluationsPerSecondOfTheExamplesOnceAndWarm(@TempDir Path work) throws Exception {
        Jail jail = ExternalTasks.jail();
        for (String example : List.of("python-scheduling", "c-packing")) {
            for (String mode : List.of("once", "warm")) {
                TaskDirectory task = TaskDirectory.load(copy(ExampleTasksTest.example(example),
                        work.resolve(example + "-" + mode), mode));
                List<Split> cascade = task.splits().stream().map(Split::valueOf).toList();
                try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(SLOTS))) {
                    // warm-up: starts the processes of both slots in warm mode
                    List<CompletableFuture<SandboxOutcome>> outcomes = new ArrayList<>();
                    for (int i = 0; i < SLOTS; i++) {
                        outcomes.add(evaluator.evaluate(task.initialProgram(), cascade).toCompletableFuture());
                    }
                    for (CompletableFuture<SandboxOutcome> outcome : outcomes) {
                        assertThat(outcome.get(300, TimeUnit.SECONDS).status()).isEqualTo(EvaluationStatus.OK);
                    }
                    outcomes.clear();
                    long started = System.nanoTime();
                    for (int i = 0; i < EVALUATIONS; i++) {
                        outcomes.add(evaluator.evaluate(task.initialProgram(), cascade).toCompletableFuture());
                    }
                    for (CompletableFuture<SandboxOutcome> outcome : outcomes) {
                        assertThat(outcome.get(300, TimeUnit.SECONDS).status()).isEqualTo(EvaluationStatus.OK);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("example %s, %s mode, %d slots: %d evaluations (%s) in %.2f s = %.2f evaluations/s%n",
                            example, mode, SLOTS, EVALUATIONS, task.splits(), seconds, EVALUATIONS / seconds);
                }
            }
        }
    }

    /** The example with {@code evaluator.mode} set to {@code mode}. */
    private static Path copy(Path from, Path to, String mode) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        Path conf = to.resolve(TaskDirectory.CONF_FILE);
        Files.writeString(conf, Files.readString(conf).replaceAll("(?m)^evaluator\\.mode = \\w+$", "evaluator.mode = " + mode));
        assertThat(Files.readString(conf)).contains("evaluator.mode = " + mode);
        return to;
    }
}
