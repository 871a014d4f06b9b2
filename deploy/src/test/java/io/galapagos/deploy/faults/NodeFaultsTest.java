package io.galapagos.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.controller.report.RunHistory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Multi-process fault tests: {@code galapagos node} child JVMs on loopback over a real PostgreSQL
 * journal, killed with SIGKILL in the middle of a run driven by {@code galapagos run --cluster}. Each
 * ends with the run completed and its stored history checked: every proposed candidate evaluated
 * exactly once, no budget overrun, the run's best the best of the history. The task pauses in each
 * split (the data seed in milliseconds), so that killed members have evaluations in flight.
 */
// integration lane: node processes killed and restarted
@Tag("integration")
class NodeFaultsTest {

    private static final String RUN = "faults";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void jobsOfAKilledWorkerAreRequeuedToTheOtherWorkerAndTheRunCompletes() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        int httpPort = NodeProcesses.freePort();
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1, "",
                FaultCluster.dashboardArgs(httpPort).toArray(String[]::new));
        NodeProcesses.Child doomed = cluster.start("worker-1", "worker", 2, "");
        NodeProcesses.Child survivor = cluster.start("worker-2", "worker", 2, "");
        FaultCluster.awaitUp(controller);
        long iterations = 32;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 2, "galapagos.run.data-seed = 400");
        FaultCluster.awaitUp(doomed, survivor);

        awaitEvaluated(cluster, client, 10);
        doomed.kill();

        assertThat(client.awaitExit(RUN_TIMEOUT)).as("exit code of galapagos run").isZero();
        // no deadline is missed here (60 s against a pause of milliseconds): every requeue is a job of the killed worker
        assertThat(FaultCluster.clusterView(httpPort).path("dispatcher").path("requeued").asLong())
                .as("jobs of the killed worker that the dispatcher requeued").isPositive();
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        assertThat(history.completion()).contains("iteration budget spent");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void islandsAndTheDispatcherOfAKilledControllerResumeOnTheSurvivorsAndTheRunCompletes() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        // the recommended setup: three controllers, each listing all three, islands start once all are up
        cluster.seedControllers("controller-1", "controller-2", "controller-3");
        NodeProcesses.Child oldest = cluster.start("controller-1", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child second = cluster.start("controller-2", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child third = cluster.start("controller-3", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child worker1 = cluster.start("worker-1", "worker", 2, "");
        NodeProcesses.Child worker2 = cluster.start("worker-2", "worker", 2, "");
        FaultCluster.awaitUp(oldest, second, third);
        // the first seed formed the cluster: the oldest member, host of the dispatcher and the shard coordinator,
        // holds the cluster lease
        assertThat(StoredHistory.leaseHolder(cluster.database())).as("the lease holder").contains(cluster.address(oldest));
        long iterations = 36;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 3, "galapagos.run.data-seed = 500");
        FaultCluster.awaitUp(worker1, worker2);

        awaitEvaluated(cluster, client, 10);
        oldest.kill();

        assertThat(client.awaitExit(RUN_TIMEOUT)).as("exit code of galapagos run").isZero();
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        assertThat(history.completion()).contains("iteration budget spent");
        assertThat(second.process().isAlive() && third.process().isAlive()).as("the surviving controllers are up").isTrue();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void restartedFirstSeedRejoinsTheRunningClusterAndNeverFormsASecondOne() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        cluster.seedControllers("controller-1", "controller-2", "controller-3");
        NodeProcesses.Child first = cluster.start("controller-1", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child second = cluster.start("controller-2", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child third = cluster.start("controller-3", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child worker = cluster.start("worker", "worker", 3, "");
        FaultCluster.awaitUp(first, second, third);
        String incarnation = StoredHistory.leaseIncarnation(cluster.database()).orElseThrow();
        long iterations = 30;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 3, "galapagos.run.data-seed = 400");
        FaultCluster.awaitUp(worker);

        awaitEvaluated(cluster, client, 8);
        first.kill();
        cluster.sameAddress("controller-1-again", first);
        NodeProcesses.Child again = cluster.start("controller-1-again", "controller", 1, "", "--min-controllers", "3");
        FaultCluster.awaitUp(again);

        assertThat(client.awaitExit(RUN_TIMEOUT)).as("exit code of galapagos run").isZero();
        assertThat(StoredHistory.leaseIncarnation(cluster.database())).as("the cluster incarnation").contains(incarnation);
        assertThat(StoredHistory.interleavedWriters(cluster.database())).as("entities written by two live writers").isEmpty();
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        assertThat(again.process().isAlive() && second.process().isAlive() && third.process().isAlive())
                .as("all three controllers are up").isTrue();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void frozenControllerResumedAfterItsRemovalIsFencedAndWritesNothing() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        cluster.seedControllers("controller-1", "controller-2", "controller-3");
        int httpPort = NodeProcesses.freePort();
        NodeProcesses.Child first = cluster.start("controller-1", "controller", 1, "", "--min-controllers", "3",
                "--http-port", String.valueOf(httpPort));
        NodeProcesses.Child second = cluster.start("controller-2", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child frozen = cluster.start("controller-3", "controller", 1, "", "--min-controllers", "3");
        NodeProcesses.Child worker = cluster.start("worker", "worker", 3, "");
        FaultCluster.awaitUp(first, second, frozen);
        long iterations = 30;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 3, "galapagos.run.data-seed = 400");
        FaultCluster.awaitUp(worker);

        awaitEvaluated(cluster, client, 8);
        frozen.signal("STOP");
        // removed: the survivors no longer list it, and its token is fenced in the database
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> StoredHistory.fenced(cluster.database(), cluster.address(frozen))
                        && members(httpPort).noneMatch(address -> address.equals(cluster.address(frozen))));
        long removedAt = StoredHistory.lastOrdering(cluster.database());
        frozen.signal("CONT");

        assertThat(frozen.awaitExit(Duration.ofMinutes(1))).as("exit code of the resumed controller").isEqualTo(1);
        assertThat(frozen.stdout()).contains(cluster.address(frozen) + " halts: ");
        assertThat(client.awaitExit(RUN_TIMEOUT)).as("exit code of galapagos run").isZero();
        assertThat(StoredHistory.writesOfReplacedWriters(cluster.database(), removedAt))
                .as("journal rows of the removed controller's writers after it was fenced").isEmpty();
        assertThat(StoredHistory.interleavedWriters(cluster.database())).as("entities written by two live writers").isEmpty();
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
    }

    @Test
    void runOfAClusterWhoseEveryNodeWasKilledResumesOnAFreshClusterWithoutEvaluatingTwice() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1, "");
        NodeProcesses.Child worker = cluster.start("worker", "worker", 3, "");
        FaultCluster.awaitUp(controller);
        long iterations = 32;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 2, "galapagos.run.data-seed = 400");
        FaultCluster.awaitUp(worker);

        awaitEvaluated(cluster, client, 12);
        worker.kill();
        controller.kill();
        client.kill();
        long evaluatedBefore = StoredHistory.events(cluster.database(), "CandidateEvaluated");
        assertThat(evaluatedBefore).as("evaluated before the crash").isLessThan(iterations);

        cluster.newCluster();
        NodeProcesses.Child freshController = cluster.start("fresh-controller", "controller", 1, "");
        NodeProcesses.Child freshWorker = cluster.start("fresh-worker", "worker", 3, "");
        FaultCluster.awaitUp(freshController);
        NodeProcesses.Child resume = cluster.resume("resume", RUN, "");
        FaultCluster.awaitUp(freshWorker);

        assertThat(resume.awaitExit(RUN_TIMEOUT)).as("exit code of galapagos resume").isZero();
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        assertThat(history.completion()).contains("iteration budget spent");
    }

    @Test
    void jobsOfAWorkerWhoseSandboxHangsAreRequeuedAtTheirDeadlineAndTheWorkerIsQuarantined() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        int httpPort = NodeProcesses.freePort();
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1,
                "galapagos.dispatcher { job-timeout = 6s, worker-quarantine-after = 2, worker-quarantine = 10m }",
                FaultCluster.dashboardArgs(httpPort).toArray(String[]::new));
        // alive and announcing, but every evaluation in its sandbox's children hangs; the only worker at first
        NodeProcesses.Child hung = cluster.start("hung-worker", "worker", 2,
                "galapagos.sandbox.extra-jvm-options = [\"-D" + PausingTask.HANG_PROPERTY + "=true\"]");
        FaultCluster.awaitUp(controller);
        long iterations = 24;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 2, "galapagos.run.data-seed = 300");
        FaultCluster.awaitUp(hung);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> quarantined(httpPort, cluster.address(hung)));
        assertThat(StoredHistory.events(cluster.database(), "CandidateEvaluated")).as("evaluated by the hung worker").isZero();

        NodeProcesses.Child healthy = cluster.start("healthy-worker", "worker", 2, "");
        assertThat(client.awaitExit(RUN_TIMEOUT)).as("exit code of galapagos run").isZero();
        // no worker dies here: every requeue is a job of the hung worker that missed its deadline
        assertThat(FaultCluster.clusterView(httpPort).path("dispatcher").path("requeued").asLong())
                .as("jobs of the hung worker requeued at their deadline").isPositive();
        assertThat(quarantined(httpPort, cluster.address(hung))).as("the hung worker is quarantined").isTrue();
        assertThat(quarantined(httpPort, cluster.address(healthy))).as("the healthy worker is quarantined").isFalse();
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        assertThat(history.failures()).as("failures blamed on candidates").doesNotContainKeys("TIMEOUT", "SANDBOX_CRASH");
        assertThat(hung.process().isAlive()).as("the hung worker is still alive").isTrue();
    }

    private static void awaitEvaluated(FaultCluster cluster, NodeProcesses.Child client, long evaluated) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!client.process().isAlive()) {
                throw new AssertionError(client.name() + " exited with " + client.process().exitValue());
            }
            return StoredHistory.events(cluster.database(), "CandidateEvaluated") >= evaluated;
        });
    }

    /** Whether the dispatcher holds back the worker of the member at {@code address}, as its controller's dashboard says. */
    private static boolean quarantined(int httpPort, String address) {
        for (JsonNode worker : FaultCluster.clusterView(httpPort).path("workers")) {
            if (worker.path("address").asText().startsWith(address + "/")) {
                return worker.path("quarantined").asBoolean();
            }
        }
        return false;
    }

    /** The addresses of the members the controller whose dashboard listens on {@code httpPort} sees. */
    private static Stream<String> members(int httpPort) {
        List<String> addresses = new ArrayList<>();
        FaultCluster.clusterView(httpPort).path("members").forEach(m -> addresses.add(m.path("address").asText()));
        return addresses.stream();
    }
}
