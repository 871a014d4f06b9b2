package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Function;

/**
 * A client member of an existing cluster: no roles (runs, islands and the dispatcher are reached
 * through proxies), the cluster's journal database for the history. {@code run} and {@code resume}
 * with {@code --cluster} join through it and leave gracefully when done; every wait has a deadline
 * ({@code galapagos.client.*}).
 */
public final class ClusterClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterClient.class);

    /** The cluster cannot be reached (no member answers, or the run stays silent): exit code 1. */
    public static final class Unreachable extends IllegalStateException {
        public Unreachable(String message) {
            super("cluster unreachable: " + message);
        }
    }

    private final Config config;
    private final Duration joinTimeout;
    private final Duration answerTimeout;
    private final Duration readTimeout;
    private ClusterNode member;

    private ClusterClient(Config config) {
        this.config = config;
        this.joinTimeout = config.getDuration("galapagos.client.join-timeout");
        this.answerTimeout = config.getDuration("galapagos.client.answer-timeout");
        this.readTimeout = config.getDuration("galapagos.client.read-timeout");
    }

    /**
     * The configuration of a client of the cluster that {@code addresses} belong to: the flags and the
     * user's file as for a node, but no roles, a free port, all addresses as seeds (the join tries
     * each), and short shutdown phases (leaving a cluster that is gone must not take minutes).
     */
    public static Config config(List<String> addresses, Optional<String> host, Config flags, Optional<Path> userFile) {
        addresses.forEach(ClusterNode::seedAddress);
        Config clientFlags = flags
                .withValue("galapagos.node.roles", ConfigValueFactory.fromIterable(List.of()))
                .withValue("galapagos.node.port", ConfigValueFactory.fromAnyRef(0))
                .withValue("galapagos.node.seeds", ConfigValueFactory.fromIterable(addresses));
        if (host.isPresent()) {
            clientFlags = clientFlags.withValue("galapagos.node.host", ConfigValueFactory.fromAnyRef(host.get()));
        }
        Config config = CLIENT_SHUTDOWN.withFallback(ClusterNode.config(clientFlags, userFile, System::getenv));
        if (config.getString("galapagos.store.url").startsWith("jdbc:h2:mem:")) {
            throw new IllegalArgumentException("--cluster needs the cluster's journal database: --db-url URL "
                    + "(or galapagos.store.url in --config)");
        }
        for (String key : List.of("join-timeout", "answer-timeout", "read-timeout")) {
            try {
                if (!config.getDuration("galapagos.client." + key).isNegative()) {
                    continue;
                }
            } catch (com.typesafe.config.ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            throw new IllegalArgumentException("galapagos.client." + key + " must not be negative");
        }
        return config;
    }

    private static final Config CLIENT_SHUTDOWN = com.typesafe.config.ConfigFactory.parseString(
            "pekko.coordinated-shutdown.phases { cluster-sharding-shutdown-region.timeout = 3s, "
                    + "cluster-leave.timeout = 3s, cluster-exiting.timeout = 3s }");

    /** Joins the cluster and waits until this client is Up, at most {@code galapagos.client.join-timeout}. */
    public static ClusterClient join(Config config) {
        ClusterClient client = new ClusterClient(config);
        client.member = client.joinMember();
        return client;
    }

    private ClusterNode joinMember() {
        ClusterNode joining = ClusterNode.start(config, Optional.empty(), Evaluators.generators(config));
        try {
            joining.up().toCompletableFuture().get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return joining;
        } catch (TimeoutException e) {
            joining.close();
            throw new Unreachable("no member of " + String.join(", ", config.getStringList("galapagos.node.seeds"))
                    + " answered within " + joinTimeout.toSeconds() + " s");
        } catch (Exception e) {
            joining.close();
            throw new Unreachable("cannot join through " + String.join(", ", config.getStringList("galapagos.node.seeds"))
                    + ": " + e);
        }
    }

    public ClusterNode member() {
        return member;
    }

    /** The stored history of {@code runId} in the cluster's database. */
    public RunHistory history(String runId) {
        return RunHistory.load(member.system(), runId, readTimeout);
    }

    public RunSession session(String runId, Path out, PrintWriter progress) {
        return new RunSession(member.system(), member.engine(), runId, out, new PrintWriter(System.out, true), progress);
    }

    /**
     * Begins ({@code begin}) a run of {@code task}, follows it to the end and writes the outputs; the
     * baselines of the summary are evaluated in a local sandbox. When the cluster removes this client
     * (a long pause, a partition) it joins again and goes on following; when no member answers within
     * the join timeout, or the run stays silent longer than the answer timeout, it fails with
     * {@link Unreachable}.
     */
    public void follow(String runId, Path out, RunTask task, Function<RunSession, RunStatus> begin) throws Exception {
        PrintWriter progress = new PrintWriter(System.err, true);
        try {
            begin.apply(session(runId, out, progress));
        } catch (IllegalStateException e) {
            throw new Unreachable(oneLine(e.getMessage()));
        }
        RunSession session;
        while (true) {
            session = session(runId, out, progress);
            try (OutputRefresher refresher = session.refreshOutputs(task)) {
                session.follow(Duration.ofMillis(500), Optional.of(answerTimeout));
                break;
            } catch (RunSession.MemberStopped e) {
                progress.println();
                LOG.warn("the cluster removed this client ({}); joining again", member.address());
                member = joinMember();
            } catch (RunSession.RunSilent e) {
                progress.println();
                throw new Unreachable(e.getMessage());
            }
        }
        Config local = member.system().settings().config()
                .withValue("galapagos.worker.slots", ConfigValueFactory.fromAnyRef(1));
        try (CandidateEvaluator evaluator = Evaluators.forNode(local, TaskRegistry.load())) {
            session.finish(task, evaluator);
        }
    }

    /** The settings the run was started with, or a clear error when the database holds no such run. */
    public static RunSettings startedSettings(RunHistory history, String runId) {
        return history.settings().orElseThrow(() -> new IllegalArgumentException("run not found: the cluster's database "
                + "holds no run '" + runId + "'"));
    }

    public static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    /** Leaves the cluster gracefully (at once when the cluster removed this client already). */
    @Override
    public void close() {
        if (member != null) {
            member.close();
        }
    }
}
