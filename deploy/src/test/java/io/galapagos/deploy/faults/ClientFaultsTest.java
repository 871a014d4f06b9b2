package io.galapagos.deploy.faults;

import io.galapagos.controller.report.RunHistory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clients against a cluster that goes away, as child JVMs on loopback over a real PostgreSQL:
 * {@code run --cluster} ends with one line and exit code 1 within its timeouts, {@code status --cluster}
 * answers from the database alone (members, roles, the dispatcher's host, stale members), and a worker
 * killed while its candidate hangs leaves no sandbox process behind.
 */
// integration lane: node processes killed and restarted
@Tag("integration")
@Timeout(300)
class ClientFaultsTest {

    private static final String RUN = "clients";
    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(2);
    private static final String MEMBERS = "galapagos.members { heartbeat-interval = 1s }";

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void runClientOfAClusterWhoseNodesAreKilledExitsOneWithOneLineAndStatusStillAnswersFromTheDatabase() throws IOException {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), MEMBERS);
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1, "");
        NodeProcesses.Child worker = cluster.start("worker", "worker", 2, "");
        FaultCluster.awaitUp(controller, worker);
        NodeProcesses.Child client = cluster.run("client", RUN, 500, 2,
                "galapagos.run.data-seed = 300\ngalapagos.client { join-timeout = 8s, answer-timeout = 8s }");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> StoredHistory.events(cluster.database(), "CandidateEvaluated") >= 3);

        // every member has written its row once the islands are placed
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            NodeProcesses.Child probe = status(cluster, "status-probe", true);
            return probe.awaitExit(EXIT_TIMEOUT) == 0 && probe.stdout().contains(RUN + "/0") && probe.stdout().contains(RUN + "/1")
                    && probe.stdout().contains(cluster.address(worker));
        });
        NodeProcesses.Child live = status(cluster, "status-live", true);
        assertThat(live.awaitExit(EXIT_TIMEOUT)).as(live.stderr()).isZero();
        String controllerLine = line(live.stdout(), cluster.address(controller) + " ");
        assertThat(controllerLine).contains("controller").contains("dispatcher").contains("coordinators Run,Island")
                .contains(RUN + "/0").doesNotContain("STALE");
        assertThat(line(live.stdout(), cluster.address(worker) + " ")).contains("worker").doesNotContain("STALE");
        assertThat(live.stdout()).contains("task " + FaultCluster.TASK + ", not completed")
                .contains("cluster: 2 members (0 stale); dispatcher on " + cluster.address(controller));

        controller.kill();
        worker.kill();

        assertThat(client.awaitExit(EXIT_TIMEOUT)).as("exit code of galapagos run").isEqualTo(1);
        List<String> err = client.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(err.get(err.size() - 1)).startsWith("galapagos run: cluster unreachable: ");

        NodeProcesses.Child after = status(cluster, "status-after", true);
        assertThat(after.awaitExit(EXIT_TIMEOUT)).as(after.stderr()).isZero();
        assertThat(after.stdout()).contains("task " + FaultCluster.TASK + ", not completed")
                .contains("cluster: 2 members (2 stale); dispatcher on unknown");
        assertThat(line(after.stdout(), cluster.address(controller) + " ")).contains("STALE: last seen");

        NodeProcesses.Child unknown = processes.start("status-unknown", statusArguments(cluster, "no-such-run"), Map.of());
        assertThat(unknown.awaitExit(EXIT_TIMEOUT)).isEqualTo(2);
        assertThat(unknown.stderr().strip()).isEqualTo("galapagos status: run not found: the cluster's database holds no run 'no-such-run'");
    }

    @Test
    void runClientRemovedByTheClusterJoinsAgainAndFollowsTheRunToItsEnd() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        int httpPort = NodeProcesses.freePort();
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1, "",
                FaultCluster.dashboardArgs(httpPort).toArray(String[]::new));
        NodeProcesses.Child worker = cluster.start("worker", "worker", 3, "");
        FaultCluster.awaitUp(controller, worker);
        long iterations = 120;
        NodeProcesses.Child client = cluster.run("client", RUN, iterations, 2, "galapagos.run.data-seed = 300");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> StoredHistory.events(cluster.database(), "CandidateEvaluated") >= 3);

        // the controller, the worker and the client that joined to submit the run
        assertThat(FaultCluster.clusterView(httpPort).path("members")).as("members the controller sees").hasSize(3);
        // frozen past the failure detector and the resolver: the cluster downs and removes the client
        client.signal("STOP");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> FaultCluster.clusterView(httpPort).path("members").size() == 2);
        long evaluatedWhileAway = StoredHistory.events(cluster.database(), "CandidateEvaluated");
        client.signal("CONT");

        assertThat(client.awaitExit(Duration.ofMinutes(3))).as("exit code of galapagos run").isZero();
        assertThat(evaluatedWhileAway).as("evaluated when the client was removed").isLessThan(iterations);
        assertThat(client.stdout() + client.stderr()).contains("the cluster removed this client").contains("joining again");
        RunHistory history = StoredHistory.load(cluster.database(), RUN);
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        assertThat(processes.directory().resolve("client-out").resolve("history.csv")).exists();
    }

    @Test
    void runClientWhoseAddressesHaveNoMemberExitsOneAfterItsJoinTimeout() {
        PostgresServer.Database database = postgres.newDatabase();
        String first = "127.0.0.1:" + NodeProcesses.freePort();
        String second = "127.0.0.1:" + NodeProcesses.freePort();
        NodeProcesses.Child client = processes.start("client", List.of("run", "--cluster", first + "," + second,
                "--host", "127.0.0.1", "--db-url", database.url(), "--db-user", database.user(), "--run-id", RUN,
                "--task", FaultCluster.TASK, "--iterations", "4", "--join-timeout", "3s",
                "--out", processes.directory().resolve("client-out").toAbsolutePath().toString()), Map.of());

        assertThat(client.awaitExit(EXIT_TIMEOUT)).as("exit code of galapagos run").isEqualTo(1);
        List<String> err = client.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(err.get(err.size() - 1)).isEqualTo("galapagos run: cluster unreachable: no member of " + first + ", "
                + second + " answered within 3 s");
    }

    @Test
    void workerKilledWhileItsCandidatesHangLeavesNoSandboxProcess() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1, "");
        NodeProcesses.Child hung = cluster.start("hung-worker", "worker", 2,
                "galapagos.sandbox.extra-jvm-options = [\"-D" + PausingTask.HANG_PROPERTY + "=true\"]");
        FaultCluster.awaitUp(controller, hung);
        cluster.run("client", RUN, 24, 2, "galapagos.run.data-seed = 300");
        // candidates in flight on the only worker: its sandbox children hang in them
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> StoredHistory.events(cluster.database(), "CandidateProposed") >= 2
                        && hung.process().descendants().findAny().isPresent());
        List<ProcessHandle> sandbox = new ArrayList<>(hung.process().descendants().toList());

        hung.process().destroyForcibly();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(sandbox.stream().filter(ProcessHandle::isAlive)
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList())
                        .as("sandbox processes of the killed worker still alive").isEmpty());
    }

    private NodeProcesses.Child status(FaultCluster cluster, String name, boolean withRun) throws IOException {
        return processes.start(name, statusArguments(cluster, withRun ? RUN : null), Map.of());
    }

    private List<String> statusArguments(FaultCluster cluster, String runId) {
        Path config = processes.directory().resolve("status.conf").toAbsolutePath();
        try {
            Files.createDirectories(processes.directory());
            Files.writeString(config, "galapagos.members.stale-after = 3s\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("status", "--cluster", cluster.seed(), "--db-url", cluster.database().url(),
                "--db-user", cluster.database().user(), "--config", config.toString()));
        if (runId != null) {
            args.addAll(List.of("--run-id", runId));
        }
        return args;
    }

    private static String line(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + output));
    }
}
