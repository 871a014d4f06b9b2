package io.galapagos.deploy;

import io.galapagos.deploy.bench.InstantEvaluator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.OutputRefresher;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import io.galapagos.worker.CandidateEvaluator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A run that crashed after its outputs were refreshed, then resumed: candidates.jsonl holds each outcome once. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ResumedOutputFilesTest {

    /** The no-op evaluation, slow enough that the run is still going when the first refresh comes. */
    static final class SlowEvaluator implements CandidateEvaluator {
        private final InstantEvaluator instant = new InstantEvaluator(2);

        @Override
        public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
            return CompletableFuture.supplyAsync(() -> instant.evaluate(request).toCompletableFuture().join(),
                    CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));
        }

        @Override
        public int slots() {
            return 2;
        }

        @Override
        public String isolation() {
            return "none";
        }
    }

    private static List<String> ids(Path out, String type) throws IOException {
        List<String> ids = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve(CandidateLog.FILE))) {
            JsonNode node = json.readTree(line);
            if (node.get("type").asText().equals(type)) {
                ids.add(node.get("id").asText());
            }
        }
        return ids;
    }

    @Test
    void aResumedRunAppendsOnlyTheOutcomesTheCrashedProcessDidNotWrite(@TempDir Path out) throws Exception {
        Config config = EmbeddedNode.config(out, Optional.empty(), ConfigFactory.parseMap(Map.of(
                "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off",
                "galapagos.islands.in-flight", 1)));
        EngineConfig engineConfig = EngineConfig.from(config);
        Task<?> task = TaskRegistry.load().require(NoopTask.ID);
        RunTask runTask = RunTask.of(task);
        long iterations = 200;
        RunSettings settings = new RunSettings(RunSession.RUN_ID, task.id(), 5, 2, iterations,
                Duration.ofHours(1).toMillis(), 0, Optional.empty(), engineConfig.run().cascade(), true,
                Optional.empty(), 1, task.initialProgram().source(), task.featureMetric(), engineConfig.islands());
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());

        EmbeddedNode first = EmbeddedNode.start(config, new SlowEvaluator(), Evaluators.generators(config));
        RunSession before = new RunSession(first, out, quiet, quiet);
        before.start(settings);
        try (OutputRefresher refresher = before.refreshOutputs(runTask)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(out.resolve(CandidateLog.FILE)));
        }
        List<String> beforeCrash = ids(out, "candidate");
        first.system().terminate();
        first.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

        try (EmbeddedNode second = EmbeddedNode.start(config, new SlowEvaluator(), Evaluators.generators(config))) {
            RunSession after = new RunSession(second, out, quiet, quiet);
            after.resume();
            try (OutputRefresher refresher = after.refreshOutputs(runTask)) {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                        .until(() -> after.status().phase() == RunStatus.Phase.COMPLETED);
            }
            RunHistory history = RunHistory.load(second.system(), RunSession.RUN_ID, Duration.ofSeconds(30));
            CandidateLog.open(out, runTask.programExtension()).append(history);

            assertThat(beforeCrash).isNotEmpty().hasSizeLessThan((int) iterations);
            List<String> candidates = ids(out, "candidate");
            assertThat(candidates).startsWith(beforeCrash.toArray(String[]::new)).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(history.evaluated().stream()
                            .map(RunHistory.Candidate::candidateId).toList());
            assertThat(ids(out, "test")).doesNotHaveDuplicates();
        }
    }
}
