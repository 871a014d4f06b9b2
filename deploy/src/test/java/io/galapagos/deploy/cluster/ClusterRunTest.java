package io.galapagos.deploy.cluster;

import io.galapagos.deploy.CliRun.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.Galapagos;
import io.galapagos.simulators.noop.NoopTask;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code galapagos node} processes on loopback share an embedded PostgreSQL journal; a run is
 * submitted to them with {@code galapagos run --cluster}, followed to the end and its outputs written.
 */
// integration lane: node processes in a cluster
@Tag("integration")
class ClusterRunTest {

    private static final long ITERATIONS = 40;

    @TempDir
    static Path dir;

    private static EmbeddedPostgres postgres;
    private static String url;
    private static int seedPort;
    private static final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE galapagos");
        }
        url = postgres.getJdbcUrl("postgres", "galapagos");
        seedPort = NodeProcess.freePort();
        int workerPort = NodeProcess.freePort();
        nodes.add(NodeProcess.start(dir.resolve("controller.log"), List.of("node", "--roles", "controller,worker",
                "--port", String.valueOf(seedPort), "--seed", "127.0.0.1:" + seedPort, "--bootstrap",
                "--db-url", url, "--db-user", "postgres", "--slots", "1")));
        nodes.add(NodeProcess.start(dir.resolve("worker.log"), List.of("node", "--roles", "worker",
                "--port", String.valueOf(workerPort), "--seed", "127.0.0.1:" + seedPort,
                "--db-url", url, "--db-user", "postgres", "--slots", "1")));
        for (NodeProcess node : nodes) {
            node.awaitUp(Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        nodes.forEach(NodeProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }



    private static RunHistory storedHistory(String runId) throws Exception {
        Config store = ConfigFactory.parseMap(java.util.Map.of("galapagos.store.url", url, "galapagos.store.user", "postgres"));
        Config config = ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = ERROR")
                .withFallback(ClusterNode.config(store, Optional.empty(), System::getenv));
        ActorSystem<Void> reader = ActorSystem.create(Behaviors.empty(), "galapagos-reader", config);
        try {
            return RunHistory.load(reader, runId, Duration.ofMinutes(1));
        } finally {
            reader.terminate();
            reader.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void runSubmittedToTheClusterEvaluatesEveryCandidateOnBothWorkersAndWritesItsOutputs() throws Exception {
        Path out = dir.resolve("out");
        Outcome run = galapagos("run", "--cluster", "127.0.0.1:" + seedPort, "--db-url", url, "--db-user", "postgres",
                "--task", NoopTask.ID, "--iterations", String.valueOf(ITERATIONS), "--islands", "2",
                "--run-id", "noop-on-two-nodes", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        RunHistory history = storedHistory("noop-on-two-nodes");
        assertThat(history.completion()).contains("iteration budget spent");
        assertThat(history.proposed()).isEqualTo(ITERATIONS);
        assertThat(history.evaluated()).hasSize((int) ITERATIONS);
        assertThat(history.evaluationsPerCandidate()).allSatisfy((candidate, times) -> assertThat(times).isEqualTo(1));
        Set<String> workers = history.evaluated().stream().map(c -> c.evaluation().orElseThrow().worker())
                .collect(Collectors.toSet());
        assertThat(workers).as("workers that evaluated candidates").hasSize(2);

        assertThat(out.resolve("history.csv")).exists();
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize((int) ITERATIONS + 1);
        assertThat(out.resolve("progress.svg")).exists();
        JsonNode info = new ObjectMapper().readTree(out.resolve("best").resolve("info.json").toFile());
        assertThat(info.get("run").asText()).isEqualTo("noop-on-two-nodes");
        assertThat(info.get("candidate").asText()).isEqualTo(history.best().orElseThrow().candidateId());

        Outcome status = galapagos("status", "--cluster", "127.0.0.1:" + seedPort, "--db-url", url,
                "--db-user", "postgres", "--run-id", "noop-on-two-nodes");
        assertThat(status.exitCode()).as(status.err()).isZero();
        // read from the database, without joining: the run's history and the (here empty) members table
        assertThat(status.out()).contains("task noop, completed: iteration budget spent")
                .contains("evaluated " + ITERATIONS + ", in flight 0").contains("cluster: ");

        Path resumed = dir.resolve("resumed");
        Outcome resume = galapagos("resume", "--cluster", "127.0.0.1:" + seedPort, "--db-url", url,
                "--db-user", "postgres", "--run-id", "noop-on-two-nodes", "--out", resumed.toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(Files.readAllLines(resumed.resolve("history.csv"))).hasSize((int) ITERATIONS + 1);
        assertThat(storedHistory("noop-on-two-nodes").evaluated()).hasSize((int) ITERATIONS);

        Outcome again = galapagos("run", "--cluster", "127.0.0.1:" + seedPort, "--db-url", url, "--db-user", "postgres",
                "--task", NoopTask.ID, "--run-id", "noop-on-two-nodes", "--out", dir.resolve("again").toString());
        assertThat(again.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(again.err()).contains("already holds a run 'noop-on-two-nodes'");
    }

    @Test
    @org.junit.jupiter.api.Timeout(600)
    void stopEndsAClusterRunGracefullyWithEveryCandidateInFlightEvaluated() throws Exception {
        String cluster = "127.0.0.1:" + seedPort;
        java.util.concurrent.CompletableFuture<Outcome> following = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                galapagos("run", "--cluster", cluster, "--db-url", url, "--db-user", "postgres", "--task", NoopTask.ID,
                        "--iterations", "1000000", "--islands", "2", "--run-id", "noop-stopped",
                        "--out", dir.resolve("stopped").toString()));
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (following.isDone()) {
                throw new AssertionError("the run ended before it was stopped: " + following.join().err());
            }
            return storedHistory("noop-stopped").evaluated().size() >= 6;
        });

        Outcome stop = galapagos("stop", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "noop-stopped", "--reason", "enough for today");

        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("run 'noop-stopped' is").contains("enough for today");
        Outcome run = following.get(3, TimeUnit.MINUTES);
        assertThat(run.exitCode()).as(run.err()).isZero();
        RunHistory history = storedHistory("noop-stopped");
        assertThat(history.completion()).contains("enough for today");
        assertThat(history.inFlight()).as("what was in flight finished").isZero();
        assertThat(history.evaluationsPerCandidate().values()).containsOnly(1);
        assertThat(history.evaluated().size()).isLessThan(1000);

        Outcome again = galapagos("stop", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "noop-stopped");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("has already completed (enough for today)");
        Outcome unknown = galapagos("stop", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "no-such-run");
        assertThat(unknown.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(unknown.err().strip()).isEqualTo("galapagos stop: run not found: the cluster's database holds no run 'no-such-run'");
    }

    @Test
    @org.junit.jupiter.api.Timeout(600)
    void resumeWithIterationsExtendsAFinishedClusterRunToTheNewTotal() throws Exception {
        String cluster = "127.0.0.1:" + seedPort;
        Outcome run = galapagos("run", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--task", NoopTask.ID, "--iterations", "6", "--islands", "2", "--run-id", "noop-extended",
                "--out", dir.resolve("extended").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        Outcome tooFew = galapagos("resume", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "noop-extended", "--iterations", "4");
        assertThat(tooFew.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(tooFew.err().strip()).isEqualTo("galapagos resume: --iterations 4 is below the 6 candidates the run "
                + "has already proposed: give the new total budget, at least 6");

        Outcome resume = galapagos("resume", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "noop-extended", "--iterations", "10", "--out", dir.resolve("extended").toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        RunHistory history = storedHistory("noop-extended");
        assertThat(history.evaluated()).hasSize(10);
        assertThat(history.evaluationsPerCandidate().values()).containsOnly(1);
        assertThat(history.completion()).contains("iteration budget spent");
    }

    @Test
    @org.junit.jupiter.api.Timeout(600)
    void aClusterRunReplaysOnThisMachineFromTheDatabaseAndReproducesItself() throws Exception {
        String cluster = "127.0.0.1:" + seedPort;
        Path out = dir.resolve("to-replay");
        Outcome run = galapagos("run", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--task", NoopTask.ID, "--iterations", "10", "--islands", "2", "--seed", "5", "--run-id", "noop-replayed",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path replayed = dir.resolve("replayed");

        Outcome replay = galapagos("replay", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "noop-replayed", "--into", replayed.toString());

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).containsPattern("replay: reproduced 10 candidates and \\d+ failed proposals of "
                + "run 'noop-replayed' exactly");
        assertThat(replayed.resolve("journal")).as("the replay keeps its own journal").isDirectory();
        JsonNode recordedBest = new ObjectMapper().readTree(out.resolve("best").resolve("info.json").toFile());
        JsonNode replayedBest = new ObjectMapper().readTree(replayed.resolve("best").resolve("info.json").toFile());
        assertThat(replayedBest.get("candidate")).isEqualTo(recordedBest.get("candidate"));
        assertThat(replayedBest.get("score")).isEqualTo(recordedBest.get("score"));
        RunHistory stored = storedHistory("noop-replayed");
        assertThat(stored.evaluated()).as("the replay wrote nothing to the cluster's database").hasSize(10);
        assertThat(stored.evaluationsPerCandidate().values()).containsOnly(1);
        Outcome replayStatus = galapagos("status", "--cluster", "127.0.0.1:1", "--db-url", "jdbc:h2:file:"
                + replayed.resolve("journal").resolve("galapagos") + ";DATABASE_TO_UPPER=false", "--run-id", "noop-replayed");
        assertThat(replayStatus.exitCode()).as(replayStatus.err()).isZero();
        assertThat(replayStatus.out()).as("the replay's journal holds the run under its id")
                .contains("task noop, completed: iteration budget spent").contains("evaluated 10, in flight 0");

        Outcome again = galapagos("replay", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "noop-replayed", "--into", replayed.toString());
        assertThat(again.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(again.err().strip()).isEqualTo("galapagos replay: " + replayed + " already holds a run: choose another --into");
        Outcome unknown = galapagos("replay", "--cluster", cluster, "--db-url", url, "--db-user", "postgres",
                "--run-id", "never-started", "--into", dir.resolve("never").toString());
        assertThat(unknown.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(unknown.err().strip()).isEqualTo("galapagos replay: run not found: the cluster's database holds no run 'never-started'");
    }

    @Test
    void statusOfAnUnknownRunIsOneLineAndExitTwo() {
        Outcome status = galapagos("status", "--cluster", "127.0.0.1:" + seedPort, "--db-url", url,
                "--db-user", "postgres", "--run-id", "never-started");
        assertThat(status.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(status.err().strip()).isEqualTo("galapagos status: run not found: the cluster's database holds no run 'never-started'");
    }
}
