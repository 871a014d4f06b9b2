package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A client member of an existing cluster: no roles (runs, islands and the dispatcher are reached
 * through proxies), the cluster's journal database for the history. {@code run}, {@code resume} and
 * {@code status} with {@code --cluster} join through it and leave gracefully when done.
 */
public final class ClusterClient implements AutoCloseable {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final ClusterNode member;

    private ClusterClient(ClusterNode member) {
        this.member = member;
    }

    /**
     * The configuration of a client of the cluster that {@code seed} belongs to: the flags and the
     * user's file as for a node, but no roles and a free port.
     */
    public static Config config(String seed, Optional<String> host, Config storeFlags, Optional<Path> userFile) {
        ClusterNode.seedAddress(seed);
        Config flags = storeFlags
                .withValue("galapagos.node.roles", ConfigValueFactory.fromIterable(List.of()))
                .withValue("galapagos.node.port", ConfigValueFactory.fromAnyRef(0))
                .withValue("galapagos.node.seeds", ConfigValueFactory.fromIterable(List.of(seed)));
        if (host.isPresent()) {
            flags = flags.withValue("galapagos.node.host", ConfigValueFactory.fromAnyRef(host.get()));
        }
        Config config = ClusterNode.config(flags, userFile, System::getenv);
        if (config.getString("galapagos.store.url").startsWith("jdbc:h2:mem:")) {
            throw new IllegalArgumentException("--cluster needs the cluster's journal database: --db-url URL "
                    + "(or galapagos.store.url in --config)");
        }
        return config;
    }

    /** Joins the cluster and waits until this client is Up. */
    public static ClusterClient join(Config config) {
        ClusterNode member = ClusterNode.start(config, Optional.empty(), Evaluators.generators());
        try {
            member.up().toCompletableFuture().get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            member.close();
            throw new IllegalStateException("no cluster answered at " + config.getStringList("pekko.cluster.seed-nodes")
                    + " within " + JOIN_TIMEOUT.toSeconds() + " s");
        } catch (Exception e) {
            member.close();
            throw new IllegalStateException("cannot join the cluster: " + e, e);
        }
        return new ClusterClient(member);
    }

    public ClusterNode member() {
        return member;
    }

    /** The stored history of {@code runId} in the cluster's database. */
    public RunHistory history(String runId) {
        return RunHistory.load(member.system(), runId, READ_TIMEOUT);
    }

    /** The run's live status, asked of its entity. */
    public RunStatus status(String runId) {
        return session(runId, Path.of("."), new PrintWriter(java.io.Writer.nullWriter())).status();
    }

    public RunSession session(String runId, Path out, PrintWriter progress) {
        return new RunSession(member.system(), member.engine(), runId, out, new PrintWriter(System.out, true), progress);
    }

    /**
     * Begins ({@code begin}) a run of {@code task}, follows it to the end and writes the outputs; the
     * baselines of the summary are evaluated in a local sandbox.
     */
    public void follow(String runId, Path out, Task<?> task, Function<RunSession, RunStatus> begin) throws Exception {
        RunSession session = session(runId, out, new PrintWriter(System.err, true));
        begin.apply(session);
        session.follow(Duration.ofMillis(500));
        Config local = member.system().settings().config()
                .withValue("galapagos.worker.slots", ConfigValueFactory.fromAnyRef(1));
        try (CandidateEvaluator evaluator = Evaluators.forNode(local, TaskRegistry.load())) {
            session.finish(task, evaluator);
        }
    }

    /** The settings the run was started with, or a clear error when the database holds no such run. */
    public static RunSettings startedSettings(RunHistory history, String runId) {
        return history.settings().orElseThrow(() -> new IllegalArgumentException("the cluster's database holds no run '"
                + runId + "'"));
    }

    /** Leaves the cluster gracefully. */
    @Override
    public void close() {
        member.close();
    }
}
