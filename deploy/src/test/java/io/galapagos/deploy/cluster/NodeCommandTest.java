package io.galapagos.deploy.cluster;

import io.galapagos.deploy.CliRun.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.deploy.Galapagos;
import io.galapagos.deploy.web.DashboardClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code galapagos node} in child JVMs on loopback, and its refusal of bad flags. */
// integration lane: node processes in a cluster
@Tag("integration")
class NodeCommandTest {

    private final List<NodeProcess> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killNodes() {
        nodes.forEach(NodeProcess::close);
    }

    private NodeProcess node(String name, String... args) {
        NodeProcess node = NodeProcess.start(dir.resolve(name + ".log"), List.of(args));
        nodes.add(node);
        return node;
    }

    @Test
    void nodesJoinThroughTheSeedPrintOneUpLineAndExitZeroOnSigterm() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1;AUTO_SERVER=TRUE";
        int seedPort = NodeProcess.freePort();
        int workerPort = NodeProcess.freePort();
        int httpPort = NodeProcess.freePort();
        int healthPort = NodeProcess.freePort();
        NodeProcess controller = node("controller", "node", "--roles", "controller", "--host", "127.0.0.1",
                "--port", String.valueOf(seedPort), "--seed", "127.0.0.1:" + seedPort, "--bootstrap", "--db-url", url,
                "--http-port", String.valueOf(httpPort));
        NodeProcess worker = node("worker", "node", "--roles", "worker", "--host", "127.0.0.1",
                "--port", String.valueOf(workerPort), "--seed", "127.0.0.1:" + seedPort, "--db-url", url, "--slots", "1",
                "--health-port", String.valueOf(healthPort), "--log-format", "json");

        assertThat(controller.awaitUp(Duration.ofSeconds(90)))
                .matches("galapagos node: up at pekko://galapagos@127\\.0\\.0\\.1:" + seedPort
                        + " roles \\[controller\\] \\(pid \\d+, max heap \\d+ MiB\\)");
        assertThat(worker.awaitUp(Duration.ofSeconds(90)))
                .matches("galapagos node: up at pekko://galapagos@127\\.0\\.0\\.1:" + workerPort
                        + " roles \\[worker\\] \\(pid \\d+, max heap \\d+ MiB\\)");

        // the controller's dashboard sees both members and the worker that asks its dispatcher for work
        assertThat(controller.stdout()).contains("dashboard: http://127.0.0.1:" + httpPort + "/");
        DashboardClient dashboard = new DashboardClient("http://127.0.0.1:" + httpPort + "/");
        await().atMost(Duration.ofSeconds(60)).until(() -> dashboard.json("api/cluster").path("workers").size() == 1);
        JsonNode cluster = dashboard.json("api/cluster");
        assertThat(cluster.path("members")).extracting(m -> m.path("roles").get(0).asText() + " " + m.path("status").asText())
                .containsExactlyInAnyOrder("controller Up", "worker Up");
        assertThat(cluster.path("workers").get(0).path("address").asText()).contains("@127.0.0.1:" + workerPort + "/");
        assertThat(dashboard.get("metrics", java.util.Map.of()).body()).contains("galapagos_cluster_members_up 2\n")
                .contains("galapagos_dispatcher_workers 1\n").doesNotContain("galapagos_sandbox_slots");
        assertThat(dashboard.json("api/runs").path("runs")).isEmpty();

        // the worker's health: Up, a dispatcher to pull from, the database answers
        assertThat(worker.stdout()).contains("health: http://127.0.0.1:" + healthPort + "/health/ready");
        DashboardClient health = new DashboardClient("http://127.0.0.1:" + healthPort + "/");
        await().atMost(Duration.ofSeconds(30)).until(() -> health.get("health/ready", java.util.Map.of()).statusCode() == 200);
        assertThat(health.json("health/ready").path("checks")).extracting(c -> c.path("name").asText() + " " + c.path("ok").asBoolean())
                .containsExactly("member true", "worker true", "database true");
        // the controller's lifecycle lines (text): its dispatcher started, and the worker joined it
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.readString(dir.resolve("controller.log"))
                .contains("worker joined worker=pekko://galapagos@127.0.0.1:" + workerPort + "/"));
        assertThat(java.nio.file.Files.readString(dir.resolve("controller.log"))).contains("galapagos.lifecycle - dispatcher started");

        assertThat(worker.terminate(Duration.ofSeconds(60))).isZero();
        assertThat(controller.terminate(Duration.ofSeconds(60))).isZero();
        // one up line each; besides it only the formation and membership lines of the cluster guard
        assertThat(controller.stdout()).filteredOn(l -> l.startsWith("galapagos node: up at")).hasSize(1);
        assertThat(controller.stdout()).filteredOn(l -> l.contains("forming cluster incarnation")).hasSize(1);
        assertThat(worker.stdout()).filteredOn(l -> l.startsWith("galapagos node: up at")).hasSize(1);
        // --log-format json: every line the worker logged is one JSON object naming the node
        List<String> workerLog = java.nio.file.Files.readAllLines(dir.resolve("worker.log"));
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> parsed = new ArrayList<>();
        for (String line : workerLog) {
            parsed.add(mapper.readTree(line));
        }
        assertThat(parsed).filteredOn(l -> l.path("formattedMessage").asText().startsWith("worker started slots=1"))
                .singleElement().satisfies(l -> {
                    assertThat(l.path("loggerName").asText()).isEqualTo("galapagos.lifecycle");
                    assertThat(l.path("mdc").path("node").asText()).isEqualTo("pekko://galapagos@127.0.0.1:" + workerPort);
                });
    }

    @Test
    void unknownLogFormatIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--log-format", "xml");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos node: --log-format: unknown log format 'xml' (text or json)");
    }

    @Test
    void healthHostWithoutAPortIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--roles", "worker", "--health-host", "0.0.0.0");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos node: --health-host needs --health-port: a node serves its health only when given a port");
    }



    @Test
    void unknownRoleIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--roles", "controller,gardener");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos node: unknown role 'gardener' (controller, worker)");
    }

    @Test
    void nodeWhoseOnlySeedIsItselfIsRefusedInOneLineUnlessItBootstraps() {
        Outcome outcome = galapagos("node", "--roles", "controller", "--host", "127.0.0.1", "--port", "25999",
                "--seed", "127.0.0.1:25999");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos node: the seeds of this node name only itself"
                + " (127.0.0.1:25999): list every controller with --seed (the same list on every node), or pass"
                + " --bootstrap to start a new cluster");
    }

    @Test
    void seedWithoutPortIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--seed", "10.0.0.1");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos node: bad seed node '10.0.0.1' (expected HOST:PORT)");
    }

    @Test
    void unsupportedDatabaseIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--db-url", "jdbc:mysql://db/galapagos");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip().lines()).hasSize(1);
        assertThat(outcome.err()).contains("jdbc:mysql://db/galapagos");
    }

    @Test
    void unsetPasswordVariableIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--db-url", "jdbc:postgresql://127.0.0.1:5432/galapagos",
                "--db-password-env", "GALAPAGOS_TEST_UNSET_PASSWORD");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos node: the environment variable "
                + "GALAPAGOS_TEST_UNSET_PASSWORD (galapagos.store.password-env) is not set");
    }

    @Test
    void nonNumericPortIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--port", "twenty");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void missingConfigFileIsOneLineAndExitTwo() {
        Outcome outcome = galapagos("node", "--config", dir.resolve("absent.conf").toString());
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).startsWith("galapagos node: config file ").endsWith("does not exist");
    }

    @Test
    void clusterFlagsWithoutClusterAreRefused() {
        Outcome outcome = galapagos("run", "--task", "noop", "--run-id", "mine", "--out", dir.resolve("out").toString());
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos run: --run-id, --host, --db-* and --*-timeout need "
                + "--cluster (the embedded node keeps its journal under --out)");
    }

    @Test
    void clusterRunWithoutDatabaseIsRefusedBeforeJoining() {
        Outcome outcome = galapagos("run", "--task", "noop", "--cluster", "127.0.0.1:25520", "--out", dir.resolve("out").toString());
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos run: --cluster needs the cluster's journal database: "
                + "--db-url URL (or galapagos.store.url in --config)");
    }

    @Test
    void clusterResumeWithoutRunIdIsRefused() {
        Outcome outcome = galapagos("resume", "--cluster", "127.0.0.1:25520", "--db-url", "jdbc:postgresql://127.0.0.1/g");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos resume: --cluster needs --run-id of the run");
    }

    @Test
    void badRunIdIsRefused() {
        Outcome outcome = galapagos("status", "--cluster", "127.0.0.1:25520", "--db-url", "jdbc:postgresql://127.0.0.1/g",
                "--run-id", "a/b");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).startsWith("galapagos status: bad run id 'a/b'");
    }
}
