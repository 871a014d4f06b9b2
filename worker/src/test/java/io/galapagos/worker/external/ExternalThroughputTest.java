package io.galapagos.worker.external;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.galapagos.worker.external.ExternalTasks.HONEST;
import static org.assertj.core.api.Assertions.assertThat;

/** Prints evaluations per second of a trivial Python evaluator in once and warm mode; asserts no timing. */
// integration lane: evaluator processes in bwrap
@Tag("integration")
@Timeout(600)
class ExternalThroughputTest {

    private static final int EVALUATIONS = 40;
    private static final int SLOTS = 2;

    @Test
    void printsEvaluationsPerSecondOnceAndWarm(@TempDir Path once, @TempDir Path warm) throws Exception {
        Jail jail = ExternalTasks.jail();
        for (Path dir : List.of(once, warm)) {
            TaskDirectory task = TaskDirectory.load(ExternalTasks.confTask(dir, dir == once ? "once" : "warm", ""));
            try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail, ExternalTasks.settings(SLOTS))) {
                ExternalTasks.evaluate(evaluator, HONEST, Split.TRAIN);  // warm-up: starts a process in warm mode
                long started = System.nanoTime();
                List<CompletableFuture<SandboxOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < EVALUATIONS; i++) {
                    outcomes.add(evaluator.evaluate(HONEST, List.of(Split.TRAIN)).toCompletableFuture());
                }
                for (CompletableFuture<SandboxOutcome> outcome : outcomes) {
                    assertThat(outcome.get(300, TimeUnit.SECONDS).status()).isEqualTo(EvaluationStatus.OK);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("external evaluator, %s mode, %d slots: %d evaluations in %.2f s = %.1f evaluations/s%n",
                        task.mode().label(), SLOTS, EVALUATIONS, seconds, EVALUATIONS / seconds);
            }
        }
    }
}
