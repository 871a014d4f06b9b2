package io.galapagos.controller.dispatch;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher against workers played by probes: a probe that never answers is a hung worker, a
 * stopped one is a dead worker (DeathWatch sees it terminate).
 */
class EvaluationDispatcherTest {

    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private final TestProbe<EvaluationResult> delivered = testKit.createTestProbe();

    private ActorRef<WorkPulling.ToDispatcher> dispatcher(Duration jobTimeout, int maxAttempts) {
        return testKit.spawn(EvaluationDispatcher.create(new DispatcherSettings(jobTimeout, maxAttempts, 100),
                delivered.getRef()::tell));
    }

    private ActorRef<WorkPulling.ToDispatcher> quarantiningDispatcher(Duration jobTimeout, int missedDeadlines) {
        return testKit.spawn(EvaluationDispatcher.create(new DispatcherSettings(jobTimeout, 5, 100, missedDeadlines,
                Duration.ofMinutes(10)), delivered.getRef()::tell));
    }

    private static EvaluationRequest request(String candidateId) {
        return new EvaluationRequest(candidateId, candidateId, "r1/0", "fake", "class A {}", Optional.empty(),
                List.of("SMOKE", "TRAIN"), Optional.empty(), 42, EvaluationRequest.Purpose.SELECTION);
    }

    private static EvaluationResult ok(EvaluationRequest request) {
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(), request.purpose(),
                EvaluationStatus.OK, 1.0, Map.of(), "", "TRAIN", 1, "w", Optional.of("bwrap"));
    }

    @Test
    void jobOfAWorkerThatDiesMidJobGoesToAnotherWorker() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 3);
        TestProbe<WorkPulling.ToWorker> dying = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(dying.getRef(), 1, List.of()));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        WorkPulling.Job first = dying.expectMessageClass(WorkPulling.Job.class);

        TestProbe<WorkPulling.ToWorker> healthy = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(healthy.getRef(), 1, List.of()));
        healthy.expectNoMessage(Duration.ofMillis(100));
        dying.stop();

        WorkPulling.Job second = healthy.expectMessageClass(WorkPulling.Job.class);
        assertThat(second.request()).isEqualTo(first.request());
        dispatcher.tell(new WorkPulling.JobCompleted(healthy.getRef(), second.jobId(), ok(second.request())));
        assertThat(delivered.receiveMessage().candidateId()).isEqualTo("c1");
        delivered.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void jobsOfAnUnreachableWorkerAreRequeuedAtOnceAndItsLateResultCountsOnce() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 3);
        TestProbe<WorkPulling.ToWorker> lost = testKit.createTestProbe();
        var stats = testKit.<EvaluationDispatcher.Stats>createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(lost.getRef(), 2, List.of()));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c2")));
        WorkPulling.Job first = lost.expectMessageClass(WorkPulling.Job.class);
        lost.expectMessageClass(WorkPulling.Job.class);

        // the failure detector lost the worker's node: long before its job deadline, nothing runs there
        dispatcher.tell(new EvaluationDispatcher.NodeUnreachable(lost.getRef().path().address()));
        dispatcher.tell(new WorkPulling.WorkerReady(lost.getRef(), 2, List.of()));
        dispatcher.tell(new EvaluationDispatcher.GetStats(stats.getRef()));
        EvaluationDispatcher.Stats requeued = stats.receiveMessage();
        assertThat(requeued.queued()).isEqualTo(2);
        assertThat(requeued.running()).isZero();
        assertThat(requeued.requeued()).isEqualTo(2);
        lost.expectNoMessage(Duration.ofMillis(100));

        // it comes back: it gets the jobs again, and the first attempt's result counts for both attempts
        dispatcher.tell(new EvaluationDispatcher.NodeReachable(lost.getRef().path().address()));
        dispatcher.tell(new WorkPulling.WorkerReady(lost.getRef(), 2, List.of()));
        WorkPulling.Job one = lost.expectMessageClass(WorkPulling.Job.class);
        WorkPulling.Job two = lost.expectMessageClass(WorkPulling.Job.class);
        WorkPulling.Job repeat = one.request().equals(first.request()) ? one : two;
        WorkPulling.Job other = repeat == one ? two : one;
        assertThat(repeat.jobId()).isNotEqualTo(first.jobId());
        dispatcher.tell(new WorkPulling.JobCompleted(lost.getRef(), first.jobId(), ok(first.request())));
        assertThat(delivered.receiveMessage().candidateId()).isEqualTo(first.request().candidateId());
        dispatcher.tell(new WorkPulling.JobCompleted(lost.getRef(), repeat.jobId(), ok(repeat.request())));
        dispatcher.tell(new WorkPulling.JobCompleted(lost.getRef(), other.jobId(), ok(other.request())));
        assertThat(delivered.receiveMessage().candidateId()).isEqualTo(other.request().candidateId());
        delivered.expectNoMessage(Duration.ofMillis(100));
        dispatcher.tell(new EvaluationDispatcher.GetStats(stats.getRef()));
        EvaluationDispatcher.Stats after = stats.receiveMessage();
        assertThat(after.running()).isZero();
        assertThat(after.completed()).isEqualTo(2);
    }

    @Test
    void aFlappingFailureDetectorNeverQuarantinesACandidate() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 2);
        TestProbe<WorkPulling.ToWorker> flapping = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(flapping.getRef(), 1, List.of()));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        WorkPulling.Job job = flapping.expectMessageClass(WorkPulling.Job.class);
        for (int flap = 0; flap < 3; flap++) {
            dispatcher.tell(new EvaluationDispatcher.NodeUnreachable(flapping.getRef().path().address()));
            dispatcher.tell(new EvaluationDispatcher.NodeReachable(flapping.getRef().path().address()));
            dispatcher.tell(new WorkPulling.WorkerReady(flapping.getRef(), 1, List.of()));
            job = flapping.expectMessageClass(WorkPulling.Job.class);
        }
        delivered.expectNoMessage(Duration.ofMillis(100));
        dispatcher.tell(new WorkPulling.JobCompleted(flapping.getRef(), job.jobId(), ok(job.request())));
        assertThat(delivered.receiveMessage().status()).isEqualTo(EvaluationStatus.OK);
    }

    @Test
    void aMoveOffAnUnreachableNodeCountsAsAnAttemptOnceTheNodeIsGone() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 1);
        TestProbe<WorkPulling.ToWorker> lost = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(lost.getRef(), 1, List.of()));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        lost.expectMessageClass(WorkPulling.Job.class);
        dispatcher.tell(new EvaluationDispatcher.NodeUnreachable(lost.getRef().path().address()));
        delivered.expectNoMessage(Duration.ofMillis(100));

        lost.stop();

        EvaluationResult crash = delivered.receiveMessage();
        assertThat(crash.candidateId()).isEqualTo("c1");
        assertThat(crash.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
    }

    @Test
    void jobOfAHungWorkerIsRequeuedAfterItsDeadlineAndItsLateResultIsIgnored() {
        var dispatcher = dispatcher(Duration.ofMillis(300), 3);
        TestProbe<WorkPulling.ToWorker> hung = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(hung.getRef(), 1, List.of()));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        WorkPulling.Job first = hung.expectMessageClass(WorkPulling.Job.class);

        TestProbe<WorkPulling.ToWorker> healthy = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(healthy.getRef(), 1, List.of()));
        WorkPulling.Job second = healthy.expectMessageClass(WorkPulling.Job.class, Duration.ofSeconds(5));
        assertThat(second.request()).isEqualTo(first.request());
        dispatcher.tell(new WorkPulling.JobCompleted(healthy.getRef(), second.jobId(), ok(second.request())));
        assertThat(delivered.receiveMessage().status()).isEqualTo(EvaluationStatus.OK);

        dispatcher.tell(new WorkPulling.JobCompleted(hung.getRef(), first.jobId(), ok(first.request())));
        delivered.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void candidateThatFailsWorkersRepeatedlyIsQuarantinedAsSandboxCrash() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 2);
        dispatcher.tell(new EvaluationDispatcher.Submit(request("poison")));
        for (int attempt = 0; attempt < 2; attempt++) {
            TestProbe<WorkPulling.ToWorker> worker = testKit.createTestProbe();
            dispatcher.tell(new WorkPulling.WorkerReady(worker.getRef(), 1, List.of()));
            worker.expectMessageClass(WorkPulling.Job.class);
            worker.stop();
        }
        EvaluationResult result = delivered.receiveMessage();
        assertThat(result.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(result.feedback()).contains("quarantined").contains("2 workers").contains("died");
    }

    @Test
    void workerGetsNoMoreJobsThanItHasFreeSlots() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 3);
        for (int i = 0; i < 5; i++) {
            dispatcher.tell(new EvaluationDispatcher.Submit(request("c" + i)));
        }
        TestProbe<WorkPulling.ToWorker> worker = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(worker.getRef(), 2, List.of()));
        List<WorkPulling.ToWorker> jobs = worker.receiveSeveralMessages(2);
        worker.expectNoMessage(Duration.ofMillis(200));

        // announced again while both jobs run: still no free slot
        List<Long> running = jobs.stream().map(j -> ((WorkPulling.Job) j).jobId()).toList();
        dispatcher.tell(new WorkPulling.WorkerReady(worker.getRef(), 0, running));
        worker.expectNoMessage(Duration.ofMillis(100));

        WorkPulling.Job done = (WorkPulling.Job) jobs.get(0);
        dispatcher.tell(new WorkPulling.JobCompleted(worker.getRef(), done.jobId(), ok(done.request())));
        dispatcher.tell(new WorkPulling.WorkerReady(worker.getRef(), 1, List.of(running.get(1))));
        assertThat(worker.expectMessageClass(WorkPulling.Job.class).request().candidateId()).isEqualTo("c2");
    }

    @Test
    void submissionsOfAnEvaluationItKnowsAreIgnoredAndAFinishedOneGetsItsResultAgain() {
        var dispatcher = dispatcher(Duration.ofMinutes(5), 3);
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        TestProbe<WorkPulling.ToWorker> worker = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(worker.getRef(), 4, List.of()));
        WorkPulling.Job job = worker.expectMessageClass(WorkPulling.Job.class);
        worker.expectNoMessage(Duration.ofMillis(200));
        dispatcher.tell(new WorkPulling.JobCompleted(worker.getRef(), job.jobId(), ok(job.request())));
        EvaluationResult first = delivered.receiveMessage();
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        assertThat(delivered.receiveMessage()).isEqualTo(first);
        worker.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void workerThatMissesDeadlinesInARowIsQuarantinedAndItsJobsGoToAnotherWorker() {
        var dispatcher = quarantiningDispatcher(Duration.ofMillis(200), 2);
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        TestProbe<WorkPulling.ToWorker> hung = testKit.createTestProbe();
        for (int missed = 0; missed < 2; missed++) {
            // its sandbox gave up on the job and freed the slot, but no result ever arrives
            dispatcher.tell(new WorkPulling.WorkerReady(hung.getRef(), 1, List.of()));
            hung.expectMessageClass(WorkPulling.Job.class, Duration.ofSeconds(5));
            awaitQueued(dispatcher, 1);
        }
        dispatcher.tell(new WorkPulling.WorkerReady(hung.getRef(), 1, List.of()));
        hung.expectNoMessage(Duration.ofMillis(300));

        TestProbe<EvaluationDispatcher.Stats> stats = testKit.createTestProbe();
        dispatcher.tell(new EvaluationDispatcher.GetStats(stats.getRef()));
        assertThat(stats.receiveMessage().quarantinedWorkers()).isEqualTo(1);

        TestProbe<WorkPulling.ToWorker> healthy = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(healthy.getRef(), 1, List.of()));
        WorkPulling.Job job = healthy.expectMessageClass(WorkPulling.Job.class);
        dispatcher.tell(new EvaluationDispatcher.GetStats(stats.getRef()));
        assertThat(stats.receiveMessage().perWorker()).extracting(EvaluationDispatcher.WorkerLoad::address,
                        EvaluationDispatcher.WorkerLoad::busy, EvaluationDispatcher.WorkerLoad::quarantined)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(address(hung.getRef()), 0, true),
                        org.assertj.core.groups.Tuple.tuple(address(healthy.getRef()), 1, false));
        dispatcher.tell(new WorkPulling.JobCompleted(healthy.getRef(), job.jobId(), ok(job.request())));
        assertThat(delivered.receiveMessage().status()).isEqualTo(EvaluationStatus.OK);
        dispatcher.tell(new EvaluationDispatcher.GetStats(stats.getRef()));
        assertThat(stats.receiveMessage().perWorker()).extracting(EvaluationDispatcher.WorkerLoad::completed)
                .containsExactly(0L, 1L);
    }

    @Test
    void lateFailureOfAnOverdueJobDoesNotBecomeTheCandidatesOutcome() {
        var dispatcher = dispatcher(Duration.ofMillis(200), 3);
        TestProbe<WorkPulling.ToWorker> hung = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(hung.getRef(), 1, List.of()));
        dispatcher.tell(new EvaluationDispatcher.Submit(request("c1")));
        WorkPulling.Job first = hung.expectMessageClass(WorkPulling.Job.class);
        TestProbe<WorkPulling.ToWorker> healthy = testKit.createTestProbe();
        dispatcher.tell(new WorkPulling.WorkerReady(healthy.getRef(), 1, List.of()));
        WorkPulling.Job second = healthy.expectMessageClass(WorkPulling.Job.class, Duration.ofSeconds(5));

        dispatcher.tell(new WorkPulling.JobCompleted(hung.getRef(), first.jobId(), EvaluationResult.failure(first.request(),
                EvaluationStatus.TIMEOUT, "no answer within 5 s", 5000, "hung")));
        delivered.expectNoMessage(Duration.ofMillis(200));
        dispatcher.tell(new WorkPulling.JobCompleted(healthy.getRef(), second.jobId(), ok(second.request())));
        assertThat(delivered.receiveMessage().status()).isEqualTo(EvaluationStatus.OK);
    }

    private static String address(ActorRef<?> ref) {
        return org.apache.pekko.actor.typed.ActorRefResolver.get(testKit.system()).toSerializationFormat(ref);
    }

    private void awaitQueued(ActorRef<WorkPulling.ToDispatcher> dispatcher, int queued) {
        TestProbe<EvaluationDispatcher.Stats> stats = testKit.createTestProbe();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            dispatcher.tell(new EvaluationDispatcher.GetStats(stats.getRef()));
            return stats.receiveMessage().queued() == queued;
        });
    }
}
