package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.deploy.cluster.MemberHeartbeat;
import io.galapagos.deploy.cluster.NodeReadiness;
import io.galapagos.deploy.engine.ConsoleLog;
import io.galapagos.deploy.engine.DashboardTasks;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.web.Dashboard;
import io.galapagos.deploy.web.DashboardSettings;
import io.galapagos.deploy.web.HealthEndpoint;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;
import org.apache.pekko.actor.CoordinatedShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code galapagos node}: one long-running member of a cluster. Prints one line once it is Up, runs
 * until SIGTERM or SIGINT, then leaves the cluster gracefully (its islands and singleton hand over)
 * and exits 0.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a cluster member with the given roles until SIGTERM/SIGINT.")
public final class NodeCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--roles", split = ",", description = "controller, worker or both (default: galapagos.node.roles)")
    List<String> roles = List.of();

    @Option(names = "--host", description = "address the other members reach this one at (default: galapagos.node.host)")
    Optional<String> host = Optional.empty();

    @Option(names = "--port", description = "port of this member (default: galapagos.node.port, 25520)")
    Optional<Integer> port = Optional.empty();

    @Option(names = "--seed", description = "HOST:PORT of a member to join (repeatable; default: galapagos.node.seeds)")
    List<String> seeds = List.of();

    @Option(names = "--bootstrap", description = "allow this node to start a new cluster with itself as the only seed (galapagos.node.bootstrap)")
    boolean bootstrap;

    @Option(names = "--min-controllers", description = "controllers to wait for before islands first start (default: galapagos.node.min-controllers)")
    Optional<Integer> minControllers = Optional.empty();

    @CommandLine.Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--slots", description = "sandbox slots of a worker; 0 = one per core (default: galapagos.worker.slots)")
    Optional<Integer> slots = Optional.empty();

    @Option(names = "--heap", paramLabel = "SIZE",
            description = "maximum heap of this node's JVM, e.g. 2g; the galapagos launcher applies it as -Xmx "
                    + "(default: GALAPAGOS_HEAP, else the JVM's default)")
    Optional<String> heap = Optional.empty();

    @Option(names = "--config", description = "HOCON file overriding galapagos.* and pekko.* settings")
    Optional<Path> configFile = Optional.empty();

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "a controller: serve the dashboard and /metrics on this port (default: none)")
    Optional<Integer> httpPort = Optional.empty();

    @Option(names = "--http-host", paramLabel = "HOST",
            description = "the dashboard's address (default: galapagos.http.host, 127.0.0.1; any other needs "
                    + DashboardSettings.TOKEN_VARIABLE + ")")
    Optional<String> httpHost = Optional.empty();

    @Option(names = "--health-port", paramLabel = "PORT",
            description = "serve GET /health/live and /health/ready on this port, any role, no token (default: none)")
    Optional<Integer> healthPort = Optional.empty();

    @Option(names = "--health-host", paramLabel = "HOST",
            description = "the health endpoint's address (default: galapagos.health.host, 127.0.0.1)")
    Optional<String> healthHost = Optional.empty();

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text, or json: one JSON object per line on stderr (default: galapagos.log.format, text)")
    Optional<String> logFormat = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config config;
        Optional<DashboardSettings> dashboardSettings;
        ConsoleLog.Format format;
        try {
            config = ClusterNode.config(flags(), configFile, System::getenv);
            ClusterNode.workerSlots(config);
            ClusterNode.checkSeeds(config);
            if (ClusterNode.roles(config).isEmpty()) {
                throw new IllegalArgumentException("a node needs a role: --roles controller, worker or controller,worker");
            }
            heap.ifPresent(NodeCommand::checkHeap);
            dashboardSettings = dashboardSettings(config);
            format = ConsoleLog.Format.of(config);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        ConsoleLog.forNode(format);
        boolean worker = ClusterNode.roles(config).contains(ClusterNode.WORKER_ROLE);
        Optional<CandidateEvaluator> evaluator = Optional.empty();
        ClusterNode node;
        try {
            evaluator = worker ? Optional.of(Evaluators.forNode(config, TaskRegistry.load(),
                    config.getString("pekko.remote.artery.canonical.hostname") + ":"
                            + config.getInt("pekko.remote.artery.canonical.port"))) : Optional.empty();
            node = ClusterNode.start(config, evaluator, Evaluators.generators(config));
        } catch (RuntimeException e) {
            evaluator.ifPresent(CandidateEvaluator::close);
            return usage(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (dashboardSettings.isPresent()) {
            Config finalConfig = config;
            DashboardTasks tasks = new DashboardTasks(taskId -> RunTask.stored(finalConfig, taskId), evaluator,
                    Optional.empty());
            Dashboard dashboard;
            try {
                dashboard = Dashboard.start(node.system(), dashboardSettings.get(), new Dashboard.Node(() -> {
                    try {
                        return Optional.of(node.engine());
                    } catch (IllegalStateException e) {
                        return Optional.empty(); // islands not started yet: no dispatcher to ask
                    }
                }, evaluator, tasks));
            } catch (IllegalArgumentException e) {
                node.close();
                return usage(e.getMessage());
            }
            System.out.println(dashboard.announcement());
            CoordinatedShutdown.get(node.system()).addJvmShutdownHook(() -> {
                dashboard.close();
                tasks.close();
            });
        }
        if (healthPort.isPresent()) {
            NodeReadiness readiness = new NodeReadiness(node, config.getDuration("galapagos.health.database-timeout"));
            HealthEndpoint health;
            try {
                health = HealthEndpoint.start(node.system(), healthHost.orElse(config.getString("galapagos.health.host")),
                        healthPort.get(), readiness);
            } catch (IllegalArgumentException e) {
                readiness.close();
                node.close();
                return usage(e.getMessage());
            }
            System.out.println(health.announcement());
            CoordinatedShutdown.get(node.system()).addJvmShutdownHook(() -> {
                health.close();
                readiness.close();
            });
        }
        AtomicBoolean asked = new AtomicBoolean();
        Runnable leave = () -> {
            asked.set(true);
            CoordinatedShutdown.get(node.system()).runAll(CoordinatedShutdown.jvmExitReason());
        };
        // Our own handlers: the JVM's default ones would exit with 143/130 instead of leaving and 0.
        Signal.handle(new Signal("TERM"), signal -> leave.run());
        Signal.handle(new Signal("INT"), signal -> leave.run());
        // every log line of this process names the node (the logback pattern's %property{node})
        ConsoleLog.nameNode(node.address());
        MemberHeartbeat.start(node, config.getDuration("galapagos.members.heartbeat-interval"));
        node.up().thenRun(() -> {
            System.out.println("galapagos node: up at " + node.address() + " roles " + node.roles()
                    + " (pid " + ProcessHandle.current().pid() + ", max heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)");
            System.out.flush();
        });
        node.system().getWhenTerminated().toCompletableFuture().get();
        if (!asked.get()) {
            spec.commandLine().getErr().println("galapagos node: " + node.address() + " left the cluster (downed or stopped)");
            spec.commandLine().getErr().flush();
            return Galapagos.EXIT_FAILED;
        }
        return 0;
    }

    private Optional<DashboardSettings> dashboardSettings(Config config) {
        if (httpPort.isEmpty()) {
            if (httpHost.isPresent()) {
                throw new IllegalArgumentException("--http-host needs --http-port: a node serves the dashboard only when given a port");
            }
            return Optional.empty();
        }
        if (!ClusterNode.roles(config).contains(ClusterNode.CONTROLLER_ROLE)) {
            throw new IllegalArgumentException("--http-port needs the controller role: the dashboard reads the runs' journal");
        }
        return Optional.of(DashboardSettings.of(httpHost.orElse(config.getString("galapagos.http.host")), httpPort.get(),
                true, Optional.ofNullable(System.getenv(DashboardSettings.TOKEN_VARIABLE))).whereFree());
    }

    private Config flags() {
        Config flags = store.flags();
        if (!roles.isEmpty()) {
            flags = flags.withValue("galapagos.node.roles", ConfigValueFactory.fromIterable(
                    roles.stream().map(String::strip).filter(r -> !r.isEmpty()).toList()));
        }
        if (host.isPresent()) {
            flags = flags.withValue("galapagos.node.host", ConfigValueFactory.fromAnyRef(host.get()));
        }
        if (port.isPresent()) {
            if (port.get() < 0 || port.get() > 65535) {
                throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port.get());
            }
            flags = flags.withValue("galapagos.node.port", ConfigValueFactory.fromAnyRef(port.get()));
        }
        if (bootstrap) {
            flags = flags.withValue("galapagos.node.bootstrap", ConfigValueFactory.fromAnyRef(true));
        }
        if (!seeds.isEmpty()) {
            flags = flags.withValue("galapagos.node.seeds", ConfigValueFactory.fromIterable(seeds));
        }
        if (minControllers.isPresent()) {
            if (minControllers.get() < 1) {
                throw new IllegalArgumentException("--min-controllers must be positive, not " + minControllers.get());
            }
            flags = flags.withValue("galapagos.node.min-controllers", ConfigValueFactory.fromAnyRef(minControllers.get()));
        }
        if (slots.isPresent()) {
            flags = flags.withValue("galapagos.worker.slots", ConfigValueFactory.fromAnyRef(slots.get()));
        }
        if (healthHost.isPresent() && healthPort.isEmpty()) {
            throw new IllegalArgumentException("--health-host needs --health-port: a node serves its health only when given a port");
        }
        if (healthPort.isPresent() && (healthPort.get() < 0 || healthPort.get() > 65535)) {
            throw new IllegalArgumentException("--health-port must be between 0 and 65535, not " + healthPort.get());
        }
        if (logFormat.isPresent()) {
            flags = flags.withValue("galapagos.log.format",
                    ConfigValueFactory.fromAnyRef(ConsoleLog.Format.of(logFormat.get(), "--log-format").name().toLowerCase(java.util.Locale.ROOT)));
        }
        return flags;
    }

    /** The -Xmx forms the launcher passes on: digits with an optional k, m or g. */
    static void checkHeap(String size) {
        if (!size.strip().matches("[0-9]+[kKmMgG]?")) {
            throw new IllegalArgumentException("--heap: bad size '" + size + "' (e.g. 512m, 2g)");
        }
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("galapagos node: " + message);
        spec.commandLine().getErr().flush();
        return Galapagos.EXIT_USAGE;
    }
}
