package io.galapagos.worker;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationWorkerTest {

    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** Completes each evaluation when the test says so. */
    static final class ManualEvaluator implements CandidateEvaluator {
        final Map<String, CompletableFuture<EvaluationResult>> started = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
            return started.computeIfAbsent(request.evaluationId(), id -> new CompletableFuture<>());
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

    private static EvaluationRequest request(String id) {
        return new EvaluationRequest(id, id, "r/0", "fake", "class A {}", Optional.empty(), List.of("TRAIN"),
                Optional.empty(), 1, EvaluationRequest.Purpose.SELECTION);
    }

    @Test
    void workerAnnouncesFreeSlotsRunsJobsAndReportsEachResult() {
        TestProbe<WorkPulling.ToDispatcher> dispatcher = testKit.createTestProbe();
        testKit.system().receptionist().tell(Receptionist.register(WorkPulling.DISPATCHER, dispatcher.getRef()));
        ManualEvaluator evaluator = new ManualEvaluator();
        ActorRef<WorkPulling.ToWorker> worker = testKit.spawn(EvaluationWorker.create(evaluator, Duration.ofHours(1)));

        WorkPulling.WorkerReady ready = dispatcher.expectMessageClass(WorkPulling.WorkerReady.class);
        assertThat(ready.freeSlots()).isEqualTo(2);
        assertThat(ready.worker()).isEqualTo(worker);

        worker.tell(new WorkPulling.Job(1, request("a")));
        worker.tell(new WorkPulling.Job(2, request("b")));
        worker.tell(new WorkPulling.Job(3, request("c")));
        assertThat(dispatcher.expectMessageClass(WorkPulling.JobRejected.class).jobId()).isEqualTo(3);

        evaluator.started.get("a").complete(new EvaluationResult("a", "a", "r/0", EvaluationRequest.Purpose.SELECTION,
                EvaluationStatus.OK, 1.0, Map.of(), "", "TRAIN", 1, "w", Optional.of("bwrap")));
        WorkPulling.JobCompleted done = dispatcher.expectMessageClass(WorkPulling.JobCompleted.class);
        assertThat(done.jobId()).isEqualTo(1);
        assertThat(done.result().score()).isEqualTo(1.0);
        WorkPulling.WorkerReady again = dispatcher.expectMessageClass(WorkPulling.WorkerReady.class);
        assertThat(again.freeSlots()).isEqualTo(1);
        assertThat(again.runningJobs()).containsExactly(2L);

        evaluator.started.get("b").completeExceptionally(new IllegalStateException("child JVM gone"));
        WorkPulling.JobCompleted crashed = dispatcher.expectMessageClass(WorkPulling.JobCompleted.class);
        assertThat(crashed.result().status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(crashed.result().feedback()).contains("child JVM gone");
    }
}
