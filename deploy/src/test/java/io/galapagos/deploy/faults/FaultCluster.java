package io.galapagos.deploy.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster of {@code galapagos node} child JVMs on loopback over one PostgreSQL journal, with the
 * failure detector, Split Brain Resolver and deadlines tuned so that a fault test takes well under a
 * minute: a killed member is downed about 6 s after the kill.
 */
public final class FaultCluster {

    static final String UP = "galapagos node: up at ";
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** The settings of every member, written to a file the members read with --config. */
    static final String BASE_CONFIG = String.join("\n",
            "pekko.cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 3s }",
            "pekko.cluster.split-brain-resolver.stable-after = 3s",
            "pekko.cluster.sharding.rebalance-interval = 2s",
            "galapagos.islands { resubmit-interval = 2s, progress-interval = 250ms }",
            "galapagos.worker.announce-interval = 1s",
            "galapagos.sandbox { evaluation-timeout = 60s, start-timeout = 60s, heap = 128m }",
            "galapagos.dispatcher.job-timeout = 60s",
            "");

    private final NodeProcesses processes;
    private final PostgresServer.Database database;
    private final Path config;
    private final List<String> seeds = new ArrayList<>();

    FaultCluster(NodeProcesses processes, PostgresServer.Database database, String extraConfig) {
        this.processes = processes;
        this.database = database;
        try {
            Files.createDirectories(processes.directory());
            this.config = processes.directory().resolve("node.conf").toAbsolutePath();
            Files.writeString(config, BASE_CONFIG + extraConfig + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PostgresServer.Database database() {
        return database;
    }

    Path config() {
        return config;
    }

    /** The HOST:PORT of the first member, which the others and the clients join through. */
    String seed() {
        return seeds.get(0);
    }

    /** Starts a member (the first becomes the seed of the rest); does not wait for it to be Up. */
    NodeProcesses.Child start(String name, String roles, int slots, List<String> more) {
        int port = NodeProcesses.freePort();
        String self = "127.0.0.1:" + port;
        List<String> args = new ArrayList<>(List.of("node", "--roles", roles, "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--db-url", database.url(), "--db-user", database.user(),
                "--slots", String.valueOf(slots), "--config", config.toString()));
        if (seeds.isEmpty()) {
            seeds.add(self);
        }
        args.addAll(List.of("--seed", seeds.get(0)));
        args.addAll(more);
        return processes.start(name, args, Map.of());
    }

    /** Waits for the members' up lines. */
    static void awaitUp(NodeProcesses.Child... members) {
        for (NodeProcesses.Child member : members) {
            NodeProcesses.awaitOutput(member, UP, START_TIMEOUT);
        }
    }
}
