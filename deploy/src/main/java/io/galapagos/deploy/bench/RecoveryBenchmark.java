package io.galapagos.deploy.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.dispatch.EvaluationDispatcher;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

/**
 * What a node failure costs a running search: a local cluster of {@code galapagos node} processes on
 * loopback runs the no-op task in the sandbox, one member is killed with SIGKILL, and the benchmark
 * measures from the kill to the requeue of the lost work and to throughput back at the pre-kill rate.
 * This JVM is a member without roles: it starts the run and polls the dispatcher every 100 ms.
 */
public final class RecoveryBenchmark {

    /** Which member dies. */
    public enum Victim { WORKER, CONTROLLER }

    /**
     * @param dbUrl      journal of the cluster (H2 over TCP, or PostgreSQL)
     * @param nodeConfig optional HOCON file every member reads (failure detector, resolver, ...)
     * @param warmup     run time before the kill
     * @param duration   run time in all (the run's wall-clock budget)
     */
    public record Setup(String dbUrl, String dbUser, Optional<Path> nodeConfig, int workers, int slots, int islands,
                        int inFlight, Duration warmup, Duration duration, Path logDirectory) {
    }

    /**
     * @param preKillRate      evaluations/s over the {@link #BEFORE} seconds before the kill
     * @param requeuedAfter    seconds from the kill until lost jobs were handed out again
     * @param islandsBackAfter seconds from the kill until every island of the run had a candidate evaluated
     *                         again: the last island back, wherever it was and whichever member it moved to
     * @param recoveredAfter   seconds from the kill until a window's rate was back at 90% of the pre-kill rate
     * @param lowestRate       the lowest windowed rate after the kill
     */
    public record Result(Victim victim, double preKillRate, Optional<Double> requeuedAfter,
                         Optional<Double> islandsBackAfter, Optional<Double> recoveredAfter, double lowestRate,
                         long evaluated, String note) {

        Result noted(String more) {
            return new Result(victim, preKillRate, requeuedAfter, islandsBackAfter, recoveredAfter, lowestRate,
                    evaluated, note.isEmpty() ? more : note + "; " + more);
        }
    }

    /** One journalled evaluation: the island of its candidate and when it was evaluated. */
    record Evaluation(String island, long atMillis) {
    }

    /** Rates after the kill are counted over windows this long. */
    public static final Duration WINDOW = Duration.ofSeconds(3);
    /** The pre-kill rate is counted over this long before the kill. */
    public static final Duration BEFORE = Duration.ofSeconds(10);
    public static final double RECOVERED = 0.9;
    private static final Duration POLL = Duration.ofMillis(100);

    record Sample(long atMillis, Optional<EvaluationDispatcher.Stats> stats) {
    }

    private final Setup setup;
    private final Consumer<String> log;
    private final List<Process> processes = new ArrayList<>();

    public RecoveryBenchmark(Setup setup, Consumer<String> log) {
        this.setup = setup;
        this.log = log;
    }

    /** Starts the cluster, runs, kills the victim, and measures; every process it started is gone afterwards. */
    public Result measure(Victim victim, String runId) throws Exception {
        // a bench ended by SIGTERM runs no finally block: without the hook its nodes would live on
        Thread hook = new Thread(this::killNodes, "recovery-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return measureOnCluster(victim, runId);
        } finally {
            killNodes();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing left to remove
            }
        }
    }

    /** Kills every node this benchmark started. */
    private synchronized void killNodes() {
        try {
            for (Process process : processes) {
                GalapagosProcess.kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processes.forEach(Process::destroyForcibly);
        }
        processes.clear();
    }

    private Result measureOnCluster(Victim victim, String runId) throws Exception {
        int controllers = victim == Victim.CONTROLLER ? 3 : 1;
        List<Process> controllerNodes = new ArrayList<>();
        List<Process> workerNodes = new ArrayList<>();
        // every port at once, each held open until all are chosen: a port picked after a node was given its
        // own, but before that node bound it, could be the same one (the OS hands a free port out again)
        Deque<Integer> ports = new ArrayDeque<>(freePorts(controllers + setup.workers() + 2));
        String seed = "127.0.0.1:" + ports.pop();
        for (int n = 0; n < controllers; n++) {
            controllerNodes.add(node(victim + "-controller-" + n, "controller", n == 0 ? seed : "127.0.0.1:" + ports.pop(), seed));
        }
        for (int n = 0; n < setup.workers(); n++) {
            workerNodes.add(node(victim + "-worker-" + n, "worker", "127.0.0.1:" + ports.pop(), seed));
        }
        int clientPort = ports.pop();
        log.accept(victim.name().toLowerCase() + " kill: starting " + controllers + " controller(s) and "
                + setup.workers() + " workers (" + setup.slots() + " slots each)");
        // two timer threads: the dispatcher samples go on while a probe waits for a moving entity
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "recovery-bench-timer");
            t.setDaemon(true);
            return t;
        });
        try (ClusterNode client = ClusterNode.start(clientConfig(seed, clientPort), Optional.empty(),
                Evaluators.generators(clientConfig(seed, clientPort)))) {
            client.up().toCompletableFuture().get(3, TimeUnit.MINUTES);
            Task<?> task = TaskRegistry.load().require(NoopTask.ID);
            EngineConfig engine = client.engineConfig();
            RunSettings settings = new RunSettings(runId, task.id(), 1, setup.islands(), 1_000_000_000L,
                    setup.duration().toMillis(), 0, Optional.empty(), List.of("SMOKE", "TRAIN"), false, Optional.empty(),
                    1, task.initialProgram().source(), task.featureMetric(), withInFlight(engine, setup.inFlight()));
            List<Process> members = new ArrayList<>(controllerNodes);
            members.addAll(workerNodes);
            awaitMembers(client, members, Duration.ofMinutes(3), timer);
            awaitWorkers(client, setup.workers(), Duration.ofMinutes(3), timer);
            client.engine().run(runId).<RunStatus>askWithStatus(replyTo -> new Run.Start(settings, replyTo), Duration.ofSeconds(30))
                    .toCompletableFuture().get(2, TimeUnit.MINUTES);
            List<Sample> samples = new CopyOnWriteArrayList<>();
            long startedMillis = System.currentTimeMillis();
            ScheduledFuture<?> sampling = timer.scheduleAtFixedRate(() -> samples.add(sample(client)), 0, POLL.toMillis(),
                    TimeUnit.MILLISECONDS);
            timer.schedule(() -> { }, startedMillis + setup.warmup().toMillis() - System.currentTimeMillis(),
                    TimeUnit.MILLISECONDS).get();

            // the oldest controller hosts the dispatcher singleton: it was started first and is the seed
            Process killed = victim == Victim.WORKER ? workerNodes.get(0) : controllerNodes.get(0);
            long killMillis = System.currentTimeMillis();
            GalapagosProcess.kill(killed);
            log.accept(victim.name().toLowerCase() + " kill: killed pid " + killed.pid() + " after "
                    + setup.warmup().toSeconds() + " s");
            boolean replaced = victim == Victim.WORKER && setup.workers() == 1;
            if (replaced) {
                // the only worker is gone: a new one starts at once, as a supervisor (systemd, Kubernetes) would
                workerNodes.add(node(victim + "-worker-replacement", "worker", "127.0.0.1:" + ports.pop(), seed));
                log.accept("worker kill: started a replacement worker (the only one was killed)");
            }

            RunStatus status = awaitCompletion(client, runId, Duration.ofMinutes(5).plus(setup.duration()), timer);
            sampling.cancel(false);
            RunHistory history = RunHistory.load(client.system(), runId, Duration.ofMinutes(2));
            List<Evaluation> evaluations = history.evaluated().stream()
                    .map(c -> new Evaluation(c.island(), c.evaluation().orElseThrow().timestampMillis())).toList();
            Result result = result(victim, killMillis, evaluations, samples, status.evaluated());
            return replaced ? result.noted("a replacement worker started at the kill") : result;
        } finally {
            timer.shutdownNow();
        }
    }

    /** The measurements, from the journal's evaluation times and the dispatcher samples. */
    static Result result(Victim victim, long killMillis, List<Evaluation> evaluations, List<Sample> samples,
                         long evaluated) {
        List<Long> evaluatedAt = evaluations.stream().map(Evaluation::atMillis).sorted().toList();
        double preKillRate = count(evaluatedAt, killMillis - BEFORE.toMillis(), killMillis) / seconds(BEFORE);
        Optional<Double> recovered = Optional.empty();
        double lowest = Double.MAX_VALUE;
        long last = evaluatedAt.isEmpty() ? killMillis : evaluatedAt.get(evaluatedAt.size() - 1);
        for (long end = killMillis + 250; end <= last; end += 250) {
            double rate = count(evaluatedAt, end - WINDOW.toMillis(), end) / seconds(WINDOW);
            lowest = Math.min(lowest, rate);
            // the window must lie after the kill, or the pre-kill evaluations would count
            if (recovered.isEmpty() && end - WINDOW.toMillis() >= killMillis && rate >= RECOVERED * preKillRate) {
                recovered = Optional.of((end - killMillis) / 1000.0);
            }
        }
        Optional<Double> requeued = victim == Victim.WORKER ? workerRequeue(killMillis, samples)
                : controllerRequeue(killMillis, samples);
        String note = requeued.isPresent() ? "" : victim == Victim.WORKER ? "no job of the killed worker was requeued"
                : "no new dispatcher handed out work";
        return new Result(victim, preKillRate, requeued, islandsBack(killMillis, evaluations), recovered,
                lowest == Double.MAX_VALUE ? 0 : lowest, evaluated, note);
    }

    /**
     * Seconds from the kill until each island that evaluated before it had evaluated again: the islands of a
     * dead controller once they restarted elsewhere, the others once a dispatcher ran their work again. Empty
     * when one of them never came back.
     */
    static Optional<Double> islandsBack(long killMillis, List<Evaluation> evaluations) {
        Set<String> before = new HashSet<>();
        Map<String, Long> firstAfter = new HashMap<>();
        for (Evaluation e : evaluations) {
            if (e.atMillis() <= killMillis) {
                before.add(e.island());
            } else {
                firstAfter.merge(e.island(), e.atMillis(), Math::min);
            }
        }
        if (before.isEmpty() || !firstAfter.keySet().containsAll(before)) {
            return Optional.empty();
        }
        long last = before.stream().mapToLong(firstAfter::get).max().orElseThrow();
        return Optional.of((last - killMillis) / 1000.0);
    }

    /** First sample after the kill whose requeue counter rose: the dispatcher saw the worker die. */
    private static Optional<Double> workerRequeue(long killMillis, List<Sample> samples) {
        long before = -1;
        long dispatcher = -1;
        for (Sample sample : samples) {
            if (sample.stats().isEmpty()) {
                continue;
            }
            EvaluationDispatcher.Stats stats = sample.stats().get();
            if (sample.atMillis() <= killMillis) {
                before = stats.requeued();
                dispatcher = stats.startedAtMillis();
            } else if (before >= 0 && stats.startedAtMillis() == dispatcher && stats.requeued() > before) {
                return Optional.of((sample.atMillis() - killMillis) / 1000.0);
            }
        }
        return Optional.empty();
    }

    /** First sample after the kill from a new dispatcher that runs jobs again (islands resubmitted them). */
    private static Optional<Double> controllerRequeue(long killMillis, List<Sample> samples) {
        long dispatcher = -1;
        for (Sample sample : samples) {
            if (sample.stats().isEmpty()) {
                continue;
            }
            EvaluationDispatcher.Stats stats = sample.stats().get();
            if (sample.atMillis() <= killMillis) {
                dispatcher = stats.startedAtMillis();
            } else if (dispatcher >= 0 && stats.startedAtMillis() != dispatcher
                    && (stats.running() > 0 || stats.completed() > 0)) {
                return Optional.of((sample.atMillis() - killMillis) / 1000.0);
            }
        }
        return Optional.empty();
    }

    private static long count(List<Long> times, long fromExclusive, long toInclusive) {
        return times.stream().filter(t -> t > fromExclusive && t <= toInclusive).count();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** One look at the dispatcher's counters; empty while it does not answer (it is moving). */
    private static Sample sample(ClusterNode client) {
        long at = System.currentTimeMillis();
        try {
            return new Sample(at, Optional.of(stats(client, Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sample(at, Optional.empty());
        } catch (ExecutionException | TimeoutException e) {
            return new Sample(at, Optional.empty());
        }
    }

    private static CompletableFuture<EvaluationDispatcher.Stats> stats(ClusterNode client, Duration timeout) {
        return AskPattern.<io.galapagos.protocol.WorkPulling.ToDispatcher, EvaluationDispatcher.Stats>ask(
                client.engine().dispatcher(), EvaluationDispatcher.GetStats::new, timeout, client.system().scheduler())
                .toCompletableFuture();
    }

    private static void awaitWorkers(ClusterNode client, int workers, Duration timeout, ScheduledExecutorService timer)
            throws Exception {
        pollUntil(timer, Duration.ofMillis(250), timeout,
                workers + " workers did not reach the dispatcher within " + timeout.toSeconds() + " s",
                () -> Optional.of(stats(client, Duration.ofSeconds(2)).get(3, TimeUnit.SECONDS))
                        .filter(stats -> stats.workers() >= workers));
    }

    private static RunStatus awaitCompletion(ClusterNode client, String runId, Duration timeout,
                                             ScheduledExecutorService timer) throws Exception {
        // asks that fail while the run entity moves to a surviving controller are simply asked again
        return pollUntil(timer, Duration.ofMillis(500), timeout,
                "the run did not complete within " + timeout.toSeconds() + " s",
                () -> Optional.of(client.engine().run(runId).ask(Run.GetStatus::new, Duration.ofSeconds(5))
                                .toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .filter(status -> status.phase() == RunStatus.Phase.COMPLETED));
    }

    /** Asks {@code probe} on the timer every {@code interval} until it gives a value; a probe that throws is asked again. */
    private static <T> T pollUntil(ScheduledExecutorService timer, Duration interval, Duration timeout, String failure,
                                   Callable<Optional<T>> probe) throws Exception {
        CompletableFuture<T> found = new CompletableFuture<>();
        ScheduledFuture<?> ticks = timer.scheduleWithFixedDelay(() -> {
            try {
                probe.call().ifPresent(found::complete);
            } catch (Exception notYet) {
                // not there yet: the next tick asks again
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(failure);
        } finally {
            ticks.cancel(false);
        }
    }

    private static io.galapagos.controller.island.IslandSettings withInFlight(EngineConfig engine, int inFlight) {
        io.galapagos.controller.island.IslandSettings i = engine.islands();
        return new io.galapagos.controller.island.IslandSettings(inFlight, i.gridBins(), i.archiveSize(),
                i.explorationRatio(), i.exploitationRatio(), i.eliteRatio(), i.inspirations(), i.topPrograms(),
                i.migrationInterval(), i.migrationRate(), i.recentFailures(), i.maxFailedProposalsInRow(),
                i.nearDuplicateSimilarity());
    }

    /**
     * Waits until every node process is an Up member: a kill measured on a cluster that lacks a member (a
     * node that could not start) would measure another cluster, or lose its majority.
     */
    private void awaitMembers(ClusterNode client, List<Process> nodes, Duration timeout, ScheduledExecutorService timer)
            throws Exception {
        // the probe answers with what went wrong, or nothing once every node is up: an exception would only
        // make the poll ask again
        String problem = pollUntil(timer, Duration.ofMillis(250), timeout,
                nodes.size() + " nodes did not all join the cluster within " + timeout.toSeconds() + " s (see "
                        + setup.logDirectory() + ")",
                () -> {
                    for (Process node : nodes) {
                        if (!node.isAlive()) {
                            return Optional.of("a node exited during its start with " + node.exitValue() + " (see "
                                    + setup.logDirectory() + ")");
                        }
                    }
                    long up = StreamSupport.stream(Cluster.get(client.system()).state().getMembers().spliterator(), false)
                            .filter(m -> m.status() == MemberStatus.up()).count();
                    return up >= nodes.size() + 1 ? Optional.of("") : Optional.empty();
                });
        if (!problem.isEmpty()) {
            throw new IllegalStateException(problem);
        }
    }

    private Config clientConfig(String seed, int port) {
        Config flags = ConfigFactory.empty()
                .withValue("galapagos.node.roles", ConfigValueFactory.fromIterable(List.of()))
                .withValue("galapagos.node.host", ConfigValueFactory.fromAnyRef("127.0.0.1"))
                .withValue("galapagos.node.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("galapagos.node.seeds", ConfigValueFactory.fromIterable(List.of(seed)))
                .withValue("galapagos.store.url", ConfigValueFactory.fromAnyRef(setup.dbUrl()))
                .withValue("galapagos.store.user", ConfigValueFactory.fromAnyRef(setup.dbUser()))
                .withValue("galapagos.store.apply-schema", ConfigValueFactory.fromAnyRef(false));
        return ClusterNode.config(flags, setup.nodeConfig(), System::getenv);
    }

    private Process node(String name, String roles, String self, String seed) throws IOException {
        String port = self.substring(self.lastIndexOf(':') + 1);
        List<String> command = new ArrayList<>(GalapagosProcess.command(List.of("-Xmx384m", "-XX:+UseSerialGC"), List.of(
                "node", "--roles", roles, "--host", "127.0.0.1", "--port", port, "--seed", seed,
                "--db-url", setup.dbUrl(), "--db-user", setup.dbUser(), "--slots", String.valueOf(setup.slots()),
                "--min-controllers", "1")));
        if (self.equals(seed)) {
            command.add("--bootstrap");
        }
        setup.nodeConfig().ifPresent(file -> command.addAll(List.of("--config", file.toAbsolutePath().toString())));
        Files.createDirectories(setup.logDirectory());
        Process process = new ProcessBuilder(command)
                .redirectOutput(setup.logDirectory().resolve(name + ".out").toFile())
                .redirectError(setup.logDirectory().resolve(name + ".err").toFile())
                .start();
        synchronized (this) {
            processes.add(process);
        }
        return process;
    }

    /** {@code n} different free ports on loopback. */
    static List<Integer> freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a listening socket that accepted nothing
                }
            }
        }
    }
}
