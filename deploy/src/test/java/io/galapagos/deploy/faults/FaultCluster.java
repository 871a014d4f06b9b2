package io.galapagos.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.deploy.web.DashboardClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of {@code galapagos node} child JVMs on loopback over one PostgreSQL journal, and the
 * {@code galapagos run|resume --cluster} clients that drive it. The failure detector, the Split Brain
 * Resolver and the islands' resubmission are tuned so that a killed member is downed about 6 s after
 * the kill and a fault test takes well under a minute of cluster time.
 */
final class FaultCluster {

    static final String UP = "galapagos node: up at ";
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final String TASK = PausingTask.ID;

    /** The settings of every member and client (each reads a file written from them with --config). */
    static final String BASE_CONFIG = String.join("\n",
            "pekko.cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 3s }",
            "pekko.cluster.split-brain-resolver.stable-after = 3s",
            "galapagos.islands { resubmit-interval = 2s, progress-interval = 250ms, in-flight = 2 }",
            "galapagos.worker.announce-interval = 1s",
            "galapagos.sandbox { evaluation-timeout = 60s, start-timeout = 60s, heap = 128m }",
            "galapagos.run { test-best = off }",
            "galapagos.node.lease { timeout = 10s, renew-interval = 1s }",
            "pekko.cluster.seed-node-timeout = 2s",
            "");

    private final NodeProcesses processes;
    private final PostgresServer.Database database;
    private final String clusterConfig;
    private final Map<String, Integer> ports = new HashMap<>();
    private final List<String> seeds = new ArrayList<>();

    /** @param clusterConfig HOCON added to {@link #BASE_CONFIG} for every member and client of this test */
    FaultCluster(NodeProcesses processes, PostgresServer.Database database, String clusterConfig) {
        this.processes = processes;
        this.database = database;
        this.clusterConfig = clusterConfig;
    }

    PostgresServer.Database database() {
        return database;
    }

    /** The HOST:PORT of the first seed, through which the clients join. */
    String seed() {
        return seeds.get(0);
    }

    /** The actor path prefix of a member, as the cluster's logs name it. */
    String address(NodeProcesses.Child member) {
        return "pekko://galapagos@127.0.0.1:" + ports.get(member.name());
    }

    /**
     * Reserves ports for the named controllers and makes them the seed list of every member started
     * later, in this order: the first forms the cluster, the others join it.
     */
    void seedControllers(String... names) {
        seeds.clear();
        for (String name : names) {
            int port = NodeProcesses.freePort();
            ports.put(name, port);
            seeds.add("127.0.0.1:" + port);
        }
    }

    /**
     * Starts a member on its reserved port or a free one. Without a seed list, the first member started
     * bootstraps the cluster as its only seed and is the seed of all later ones.
     */
    NodeProcesses.Child start(String name, String roles, int slots, String nodeConfig, String... more) {
        int port = ports.computeIfAbsent(name, n -> NodeProcesses.freePort());
        List<String> args = new ArrayList<>(List.of("node", "--roles", roles, "--host", "127.0.0.1",
                "--port", String.valueOf(port)));
        if (seeds.isEmpty()) {
            seeds.add("127.0.0.1:" + port);
            args.add("--bootstrap");
        }
        for (String seed : seeds) {
            args.addAll(List.of("--seed", seed));
        }
        args.addAll(List.of("--db-url", database.url(), "--db-user", database.user(),
                "--slots", String.valueOf(slots), "--config", configFile(name, nodeConfig).toString()));
        args.addAll(List.of(more));
        return processes.start(name, args, Map.of());
    }

    /** Gives the member {@code name}, not started yet, the address of {@code earlier} (a restart on the same port). */
    void sameAddress(String name, NodeProcesses.Child earlier) {
        ports.put(name, ports.get(earlier.name()));
    }

    /** Forgets the seeds: the next member started bootstraps a new cluster (after every member was killed). */
    void newCluster() {
        seeds.clear();
    }

    /** {@code galapagos run --cluster}: submits the run, follows it to the end and writes its outputs. */
    NodeProcesses.Child run(String name, String runId, long iterations, int islands, String clientConfig) {
        return processes.start(name, List.of("run", "--cluster", seed(), "--host", "127.0.0.1",
                "--db-url", database.url(), "--db-user", database.user(), "--run-id", runId,
                "--task", TASK, "--iterations", String.valueOf(iterations), "--islands", String.valueOf(islands),
                "--out", processes.directory().resolve(name + "-out").toAbsolutePath().toString(),
                "--config", configFile(name, clientConfig).toString()), Map.of());
    }

    /** {@code galapagos run --cluster --task-dir}: a run of a task folder that only this client has. */
    NodeProcesses.Child runFolder(String name, String runId, Path folder, long iterations, int islands, String clientConfig) {
        return processes.start(name, List.of("run", "--cluster", seed(), "--host", "127.0.0.1",
                "--db-url", database.url(), "--db-user", database.user(), "--run-id", runId,
                "--task-dir", folder.toString(), "--iterations", String.valueOf(iterations), "--islands", String.valueOf(islands),
                "--out", processes.directory().resolve(name + "-out").toAbsolutePath().toString(),
                "--config", configFile(name, clientConfig).toString()), Map.of());
    }

    /** {@code galapagos resume --cluster}: continues the run and follows it to the end. */
    NodeProcesses.Child resume(String name, String runId, String clientConfig) {
        return processes.start(name, List.of("resume", "--cluster", seed(), "--host", "127.0.0.1",
                "--db-url", database.url(), "--db-user", database.user(), "--run-id", runId,
                "--out", processes.directory().resolve(name + "-out").toAbsolutePath().toString(),
                "--config", configFile(name, clientConfig).toString()), Map.of());
    }

    /**
     * The arguments that give a controller a dashboard on a free port: fault tests read the dispatcher's
     * counters and the members it sees there ({@link #clusterView}), not in its log.
     */
    static List<String> dashboardArgs(int httpPort) {
        return List.of("--http-port", String.valueOf(httpPort));
    }

    /** {@code /api/cluster} of the controller whose dashboard listens on {@code httpPort}. */
    static JsonNode clusterView(int httpPort) {
        return new DashboardClient("http://127.0.0.1:" + httpPort + "/").json("api/cluster");
    }

    /** Waits for the members' up lines. */
    static void awaitUp(NodeProcesses.Child... members) {
        for (NodeProcesses.Child member : members) {
            NodeProcesses.awaitOutput(member, UP, START_TIMEOUT);
        }
    }

    private Path configFile(String name, String own) {
        try {
            Files.createDirectories(processes.directory());
            Path file = processes.directory().resolve(name + ".conf").toAbsolutePath();
            Files.writeString(file, BASE_CONFIG + clusterConfig + "\n" + own + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
