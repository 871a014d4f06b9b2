package io.galapagos.deploy.engine;

import com.typesafe.config.ConfigFactory;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.external.BundledTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NodeEvaluatorTest {

    private static final String PARENT = "import math\n# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\nprint(x)\n";
    private static final String OUTSIDE = PARENT.replace("import math", "import os");

    /** The built-in path: answers OK and records what it was asked. */
    private static final class Recording implements CandidateEvaluator {
        final List<EvaluationRequest> asked = new ArrayList<>();

        @Override
        public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
            asked.add(request);
            return CompletableFuture.completedFuture(EvaluationResult.failure(request, EvaluationStatus.OK, "", 0, "fake"));
        }

        @Override
        public int slots() {
            return 1;
        }

        @Override
        public String isolation() {
            return "fake";
        }
    }

    private static EvaluationRequest request(String taskId, String source) {
        return new EvaluationRequest("r/0/1", "r/0/1", "r/0", taskId, source, Optional.of(PARENT), List.of("TRAIN"),
                Optional.empty(), 1, EvaluationRequest.Purpose.SELECTION);
    }

    @Test
    void aTaskFoldersCandidateThatChangesCodeOutsideItsBlockIsRejectedBeforeTheFolderIsFetched() throws Exception {
        Recording builtIn = new Recording();
        String folderTask = BundledTask.taskId("sched", "0".repeat(64));
        try (NodeEvaluator node = new NodeEvaluator(builtIn, ConfigFactory.load(), "w1")) {
            EvaluationResult result = node.evaluate(request(folderTask, OUTSIDE)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);

            assertThat(result.status()).isEqualTo(EvaluationStatus.REJECTED);
            assertThat(result.feedback()).isEqualTo("The candidate was rejected before it ran:\n- line 1: code outside "
                    + "the EVOLVE-BLOCK (lines 3-3) changed: expected `import math`, found `import os`");
            assertThat(builtIn.asked).isEmpty();
        }
    }

    @Test
    void aBuiltInTasksCandidateGoesToTheSandboxWhoseStaticCheckAppliesTheSameRule() throws Exception {
        Recording builtIn = new Recording();
        try (NodeEvaluator node = new NodeEvaluator(builtIn, ConfigFactory.load(), "w1")) {
            node.evaluate(request("noop", OUTSIDE)).toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(builtIn.asked).extracting(EvaluationRequest::taskId).containsExactly("noop");
        }
    }
}
