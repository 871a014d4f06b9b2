package io.galapagos.deploy.faults;

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

    /** The HOST:PORT of the first member started, through which the others and the clients join. */
    String seed() {
        return seeds.get(0);
    }

    /** The actor path prefix of a member, as the cluster's logs name it. */
    String address(NodeProcesses.Child member) {
        return "pekko://galapagos@127.0.0.1:" + ports.get(member.name());
    }

    /** Starts a member on a free port; the first member of the cluster is the seed of all later ones. */
    NodeProcesses.Child start(String name, String roles, int slots, String nodeConfig, String... more) {
        int port = NodeProcesses.freePort();
        ports.put(name, port);
        if (seeds.isEmpty()) {
            seeds.add("127.0.0.1:" + port);
        }
        List<String> args = new ArrayList<>(List.of("node", "--roles", roles, "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--seed", seed(), "--db-url", database.url(), "--db-user", database.user(),
                "--slots", String.valueOf(slots), "--config", configFile(name, nodeConfig).toString()));
        args.addAll(List.of(more));
        return processes.start(name, args, Map.of());
    }

    /** Forgets the seed: the next member started forms a new cluster (after every member was killed). */
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

    /** {@code galapagos resume --cluster}: continues the run and follows it to the end. */
    NodeProcesses.Child resume(String name, String runId, String clientConfig) {
        return processes.start(name, List.of("resume", "--cluster", seed(), "--host", "127.0.0.1",
                "--db-url", database.url(), "--db-user", database.user(), "--run-id", runId,
                "--out", processes.directory().resolve(name + "-out").toAbsolutePath().toString(),
                "--config", configFile(name, clientConfig).toString()), Map.of());
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
