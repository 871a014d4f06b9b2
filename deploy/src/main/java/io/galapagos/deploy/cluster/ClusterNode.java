package io.galapagos.deploy.cluster;

import io.galapagos.protocol.Durations;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import io.galapagos.controller.Engine;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.controller.store.Schema;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.EvaluationWorker;
import io.galapagos.worker.sandbox.SandboxSettings;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One member of a Galapagos cluster, built from its configuration: the controller role runs the
 * engine (dispatcher singleton, sharded runs and islands), the worker role an evaluation worker, and
 * a member without roles (a client of {@code galapagos run --cluster}) reaches both through proxies.
 * Members that list no seed nodes (the embedded node) form a cluster of their own by joining
 * themselves; members with seeds join them under a {@link ClusterGuard} (lease, first start, pauses).
 */
public final class ClusterNode implements AutoCloseable {

    /** The actor system name every member shares; seed addresses carry it. */
    public static final String SYSTEM_NAME = "galapagos";
    public static final String CONTROLLER_ROLE = Engine.ROLE;
    public static final String WORKER_ROLE = "worker";

    private static final Set<String> ROLES = Set.of(CONTROLLER_ROLE, WORKER_ROLE);

    private final ActorSystem<Void> system;
    private final AtomicReference<Engine> engine;
    private final EngineConfig engineConfig;
    private final Set<String> roles;
    private final Optional<ClusterGuard> guard;

    private ClusterNode(ActorSystem<Void> system, AtomicReference<Engine> engine, EngineConfig engineConfig,
                        Set<String> roles, Optional<ClusterGuard> guard) {
        this.system = system;
        this.engine = engine;
        this.engineConfig = engineConfig;
        this.roles = roles;
        this.guard = guard;
    }

    /**
     * The configuration of a cluster member: {@code flags} (as {@code galapagos.*} keys), then the
     * user's file, then what follows from them (seed addresses, the store's Slick profile and driver,
     * the password from its environment variable, artery TLS, an H2 file written at each commit), then
     * the cluster and node defaults.
     *
     * @throws IllegalArgumentException with the key at fault
     */
    public static Config config(Config flags, Optional<Path> userFile, UnaryOperator<String> env) {
        try {
            Config user = userConfig(userFile);
            Config upper = flags.withFallback(user);
            Config base = ConfigFactory.parseResources("galapagos-cluster.conf")
                    .withFallback(ConfigFactory.parseResources("galapagos-node.conf"))
                    .withFallback(ConfigFactory.defaultReference());
            KnownSettings.check(user, base.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true)));
            Config first = upper.withFallback(base).resolve();
            Config seeds = seedNodes(first);
            Config secrets = storePassword(first, env).withFallback(ClusterTls.artery(first.getConfig("galapagos.cluster.tls"), env));
            Config config = secrets.withFallback(durableStore(first)).withFallback(seeds).withFallback(upper)
                    .withFallback(storeDriver(first))
                    .withFallback(base).resolve();
            if (roles(config).containsAll(Set.of("controller", "worker"))) {
                // a member of one role cannot know the other role's settings on other machines
                KnownSettings.checkRelated(config);
            }
            return config;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The user's HOCON file, or nothing. */
    public static Config userConfig(Optional<Path> userFile) {
        if (userFile.isEmpty()) {
            return ConfigFactory.empty();
        }
        if (!Files.isRegularFile(userFile.get())) {
            throw new IllegalArgumentException("config file " + userFile.get() + " does not exist");
        }
        return ConfigFactory.parseFile(userFile.get().toFile());
    }

    /** {@code HOST:PORT} to the address of the member listening there. */
    public static String seedAddress(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("bad seed node '" + hostAndPort + "' (expected HOST:PORT)");
        }
        String host = hostAndPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad seed node '" + hostAndPort + "' (expected HOST:PORT)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad seed node '" + hostAndPort + "': port out of range");
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "pekko://" + SYSTEM_NAME + "@" + host + ":" + port;
    }

    /**
     * Pekko's seed nodes from {@code galapagos.node.seeds}. A bootstrapping member without seeds is its
     * own seed. The first seed gets none: Pekko would join it to itself after {@code seed-node-timeout},
     * and the {@link ClusterGuard} forms a cluster only when the database's lease allows it.
     */
    private static Config seedNodes(Config config) {
        List<String> seeds = seeds(config);
        Config derived = ConfigFactory.empty().withValue("galapagos.node.seeds", ConfigValueFactory.fromIterable(seeds));
        if (seeds.isEmpty() || seeds.get(0).equals(selfSeed(config))) {
            return derived;
        }
        return derived.withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
                seeds.stream().map(ClusterNode::seedAddress).toList()));
    }

    private static List<String> seeds(Config config) {
        List<String> seeds = new ArrayList<>();
        for (String seed : config.getStringList("galapagos.node.seeds")) {
            seedAddress(seed.strip());
            seeds.add(seed.strip());
        }
        if (seeds.isEmpty() && config.getBoolean("galapagos.node.bootstrap")) {
            seeds.add(selfSeed(config));
        }
        return seeds;
    }

    private static String selfSeed(Config config) {
        return config.getString("galapagos.node.host") + ":" + config.getInt("galapagos.node.port");
    }

    /**
     * Refuses a member whose seeds name only itself unless {@code galapagos.node.bootstrap} is on: such
     * a member can only ever form a cluster of its own, never rejoin the one it belonged to.
     *
     * @throws IllegalArgumentException in one line, with the way out
     */
    public static void checkSeeds(Config config) {
        List<String> seeds = config.getStringList("galapagos.node.seeds");
        String self = seedAddress(selfSeed(config));
        boolean onlySelf = seeds.stream().allMatch(seed -> seedAddress(seed).equals(self));
        if (onlySelf && !config.getBoolean("galapagos.node.bootstrap")) {
            throw new IllegalArgumentException("the seeds of this node name only itself (" + selfSeed(config)
                    + "): list every controller with --seed (the same list on every node), or pass --bootstrap"
                    + " to start a new cluster");
        }
    }

    /**
     * The Slick profile and JDBC driver that belong to the store URL, and the journal's batch inserts in flight
     * (an explicit setting still wins).
     */
    private static Config storeDriver(Config config) {
        String url = config.getString("galapagos.store.url");
        String profile;
        String driver;
        if (url.startsWith("jdbc:postgresql:")) {
            profile = "slick.jdbc.PostgresProfile$";
            driver = "org.postgresql.Driver";
        } else if (url.startsWith("jdbc:h2:")) {
            profile = "slick.jdbc.H2Profile$";
            driver = "org.h2.Driver";
        } else {
            throw new IllegalArgumentException("galapagos.store.url: unsupported database '" + url
                    + "' (expected jdbc:postgresql: or jdbc:h2:)");
        }
        Config dialect = ConfigFactory.parseMap(Map.of("galapagos.store.profile", profile, "galapagos.store.driver", driver));
        // a server takes transactions side by side: several batch inserts in flight, as pekko-persistence-jdbc has it
        return url.startsWith("jdbc:postgresql:")
                ? ConfigFactory.parseMap(Map.of("jdbc-journal.parallelism", POSTGRES_JOURNAL_WRITES)).withFallback(dialect)
                : dialect;
    }

    /** Batch inserts of journal rows in flight at once on a PostgreSQL store (an H2 file: one). */
    static final int POSTGRES_JOURNAL_WRITES = 8;

    /** The store URL with commits that survive a killed node ({@link Schema#durable}). */
    private static Config durableStore(Config config) {
        String url = config.getString("galapagos.store.url");
        String durable = Schema.durable(url);
        return durable.equals(url) ? ConfigFactory.empty()
                : ConfigFactory.parseMap(Map.of("galapagos.store.url", durable));
    }

    private static Config storePassword(Config config, UnaryOperator<String> env) {
        String variable = config.getString("galapagos.store.password-env").strip();
        if (variable.isEmpty()) {
            return ConfigFactory.empty();
        }
        String password = env.apply(variable);
        if (password == null) {
            throw new IllegalArgumentException("the environment variable " + variable
                    + " (galapagos.store.password-env) is not set");
        }
        return ConfigFactory.parseMap(Map.of("galapagos.store.password", password));
    }

    /** The member's roles from {@code pekko.cluster.roles}; only controller and worker exist. */
    public static Set<String> roles(Config config) {
        Set<String> roles = new TreeSet<>();
        for (String role : config.getStringList("pekko.cluster.roles")) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "' (controller, worker)");
            }
            roles.add(role);
        }
        return roles;
    }

    /** Worker slots from {@code galapagos.worker.slots}; 0 means one per core. */
    public static int workerSlots(Config config) {
        return SandboxSettings.workerSlots(config);
    }

    /**
     * Starts the member: installs the schema when {@code galapagos.store.apply-schema} is on, joins the
     * seed nodes (or itself), starts the engine (proxies on members without the controller role) and,
     * on a worker, an evaluation worker over {@code evaluator}.
     */
    public static ClusterNode start(Config config, Optional<CandidateEvaluator> evaluator,
                                    GeneratorFactory generators) {
        EngineConfig engineConfig = EngineConfig.from(config);
        Set<String> roles = roles(config);
        if (roles.contains(WORKER_ROLE) && evaluator.isEmpty()) {
            throw new IllegalArgumentException("a worker member needs an evaluator");
        }
        Duration announce = config.getDuration("galapagos.worker.announce-interval");
        if (config.getBoolean("galapagos.store.apply-schema")) {
            Schema.install(engineConfig.store().url(), engineConfig.store().user(), engineConfig.store().password());
        }
        List<String> seeds = config.getStringList("galapagos.node.seeds");
        String url = engineConfig.store().url();
        // only controllers write to the journal; workers and clients carry no fence token
        Optional<ClusterGuard.Fencing> fencing = !seeds.isEmpty() && roles.contains(CONTROLLER_ROLE)
                && MemberFence.supported(url)
                ? Optional.of(new ClusterGuard.Fencing(new MemberFence(url, engineConfig.store().user(),
                        engineConfig.store().password()), MemberFence.newToken()))
                : Optional.empty();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME,
                fencing.map(f -> MemberFence.carrying(config, f.ownToken())).orElse(config));
        try {
            AtomicReference<Engine> engine = new AtomicReference<>();
            Optional<ClusterGuard> guard = Optional.empty();
            if (seeds.isEmpty()) {
                Cluster cluster = Cluster.get(system);
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
                engine.set(Engine.start(system, engineConfig, generators));
            } else {
                boolean controller = roles.contains(CONTROLLER_ROLE);
                if (!controller) {
                    engine.set(Engine.start(system, engineConfig, generators));
                }
                guard = Optional.of(new ClusterGuard(org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)),
                        guardSettings(config, seeds, controller),
                        Optional.of(new ClusterLease(engineConfig.store().url(), engineConfig.store().user(),
                                engineConfig.store().password())), fencing,
                        () -> engine.set(Engine.start(system, engineConfig, generators)), System.out));
                guard.get().start();
            }
            if (roles.contains(WORKER_ROLE)) {
                system.systemActorOf(EvaluationWorker.create(evaluator.get(), announce), "evaluation-worker", Props.empty());
                LifecycleLog.info(LifecycleLog.Where.node(system), "worker started", "slots", evaluator.get().slots(),
                        "isolation", evaluator.get().isolation());
            }
            Optional<ClusterGuard> started = guard;
            system.getWhenTerminated().thenRun(() -> started.ifPresent(ClusterGuard::close));
            return new ClusterNode(system, engine, engineConfig, roles, guard);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    private static ClusterGuard.Settings guardSettings(Config config, List<String> seeds, boolean controller) {
        Duration leaseTimeout = config.getDuration("galapagos.node.lease.timeout");
        Duration renewInterval = config.getDuration("galapagos.node.lease.renew-interval");
        if (!renewInterval.multipliedBy(3).minus(leaseTimeout).isNegative()) {
            throw new IllegalArgumentException("galapagos.node.lease.renew-interval (" + Durations.format(renewInterval)
                    + ") must be below a third of galapagos.node.lease.timeout (" + Durations.format(leaseTimeout) + ")");
        }
        String pause = config.getString("galapagos.node.pause-limit").strip();
        Duration pauseLimit = pause.equals("auto")
                ? config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause")
                : pause.equals("off") ? Duration.ZERO : config.getDuration("galapagos.node.pause-limit");
        int minControllers = config.getInt("galapagos.node.min-controllers");
        if (minControllers < 1) {
            throw new IllegalArgumentException("galapagos.node.min-controllers must be positive, not " + minControllers);
        }
        return new ClusterGuard.Settings(
                seeds.stream().map(seed -> AddressFromURIString.parse(seedAddress(seed))).toList(),
                controller, minControllers, leaseTimeout, renewInterval,
                config.getDuration("pekko.cluster.seed-node-timeout"), pauseLimit);
    }

    /** Completes once this member is Up in the cluster. */
    public CompletionStage<Void> up() {
        CompletableFuture<Void> up = new CompletableFuture<>();
        org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> up.complete(null));
        return up;
    }

    /** This member's address, e.g. {@code pekko://galapagos@127.0.0.1:25520}. */
    public String address() {
        return Cluster.get(system).selfMember().address().toString();
    }

    public Set<String> roles() {
        return roles;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /**
     * The engine: proxies on members without the controller role; on a controller, once the cluster's
     * first start allowed its islands to start.
     *
     * @throws IllegalStateException on a controller still waiting for {@code min-controllers}
     */
    public Engine engine() {
        Engine started = engine.get();
        if (started == null) {
            throw new IllegalStateException("the islands of this controller have not started yet (galapagos.node.min-controllers)");
        }
        return started;
    }

    public EngineConfig engineConfig() {
        return engineConfig;
    }

    /** Leaves the cluster gracefully (coordinated shutdown) and waits until the system has stopped. */
    @Override
    public void close() {
        guard.ifPresent(ClusterGuard::close);
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the node did not stop: " + e, e);
        }
    }
}
