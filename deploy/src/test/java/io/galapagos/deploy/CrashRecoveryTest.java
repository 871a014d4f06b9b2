package io.galapagos.deploy;

import io.galapagos.deploy.bench.InstantEvaluator;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import io.galapagos.worker.CandidateEvaluator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the actor system abruptly in the middle of a run (coordinated shutdown off: no handoff, no
 * graceful stop of the entities), starts a new one on the same H2 journal, resumes, and checks in the
 * stored history that every proposed candidate was evaluated exactly once and the budget held.
 */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
class CrashRecoveryTest {

    /** The no-op evaluation, answered a little later so that candidates are in flight at the crash. */
    static final class SlowInstantEvaluator implements CandidateEvaluator {
        private final InstantEvaluator instant = new InstantEvaluator(4);

        @Override
        public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
            return CompletableFuture.supplyAsync(() -> instant.evaluate(request).toCompletableFuture().join(),
                    CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
        }

        @Override
        public int slots() {
            return 4;
        }

        @Override
        public String isolation() {
            return "none";
        }
    }

    @Test
    void resumedRunEvaluatesEveryProposedCandidateExactlyOnceWithinItsBudget(@TempDir Path out) throws Exception {
        Config config = EmbeddedNode.config(out, Optional.empty(), ConfigFactory.parseMap(Map.of(
                "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off",
                "galapagos.islands.in-flight", 3,
                "galapagos.islands.snapshot-every", 10)));
        EngineConfig engineConfig = EngineConfig.from(config);
        Task<?> task = TaskRegistry.load().require(NoopTask.ID);
        long iterations = 120;
        RunSettings settings = new RunSettings(RunSession.RUN_ID, task.id(), 5, 3, iterations,
                Duration.ofHours(1).toMillis(), 0, Optional.empty(), engineConfig.run().cascade(), true,
                Optional.empty(), 1, task.initialProgram().source(), task.featureMetric(), engineConfig.islands());
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());

        EmbeddedNode first = EmbeddedNode.start(config, new SlowInstantEvaluator(), Evaluators.generators(config));
        RunSession before = new RunSession(first, out, quiet, quiet);
        before.start(settings);
        await().atMost(Duration.ofSeconds(60)).until(() -> before.status().evaluated() >= 30);
        first.system().terminate();
        first.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

        try (EmbeddedNode second = EmbeddedNode.start(config, new SlowInstantEvaluator(), Evaluators.generators(config))) {
            RunSession after = new RunSession(second, out, quiet, quiet);
            after.resume();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> after.status().phase() == RunStatus.Phase.COMPLETED);

            RunHistory history = RunHistory.load(second.system(), RunSession.RUN_ID, Duration.ofSeconds(30));
            assertThat(history.proposed()).isEqualTo(iterations);
            assertThat(history.evaluated()).hasSize((int) iterations);
            assertThat(history.evaluationsPerCandidate()).hasSize((int) iterations)
                    .allSatisfy((candidate, times) -> assertThat(times).as(candidate).isEqualTo(1));
            assertThat(history.inFlight()).isZero();
            assertThat(history.completion()).contains("iteration budget spent");
            assertThat(after.status().evaluated()).isEqualTo(iterations);
            assertThat(history.best().orElseThrow().evaluation().orElseThrow().score()).isGreaterThan(-98.0);
        }
    }
}
