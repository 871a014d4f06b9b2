package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Engine;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.controller.store.Schema;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.EvaluationWorker;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The embedded single node of {@code galapagos run}: every role in one JVM, a one-member cluster that
 * joins itself, the journal in an H2 file under the output directory.
 */
public final class EmbeddedNode implements AutoCloseable {

    private final ActorSystem<Void> system;
    private final Engine engine;
    private final EngineConfig engineConfig;

    private EmbeddedNode(ActorSystem<Void> system, Engine engine, EngineConfig engineConfig) {
        this.system = system;
        this.engine = engine;
        this.engineConfig = engineConfig;
    }

    /** The H2 URL of the journal of a run whose output directory is {@code out}. */
    public static String journalUrl(Path out) {
        return "jdbc:h2:file:" + out.toAbsolutePath().normalize().resolve("journal").resolve("galapagos")
                + ";DATABASE_TO_UPPER=false;AUTO_SERVER=TRUE";
    }

    /**
     * The configuration of a node: {@code overrides} (flags), then the user's file, then the journal
     * under {@code out}, then the node defaults and every module's {@code reference.conf}.
     */
    public static Config config(Path out, Optional<Path> userFile, Config overrides) {
        Config user = ConfigFactory.empty();
        if (userFile.isPresent()) {
            if (!Files.isRegularFile(userFile.get())) {
                throw new IllegalArgumentException("config file " + userFile.get() + " does not exist");
            }
            user = ConfigFactory.parseFile(userFile.get().toFile());
        }
        Config journal = ConfigFactory.parseMap(Map.of("galapagos.store.url", journalUrl(out)));
        try {
            return overrides.withFallback(user).withFallback(journal)
                    .withFallback(ConfigFactory.parseResources("galapagos-node.conf"))
                    .withFallback(ConfigFactory.defaultReference()).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Worker slots from {@code galapagos.worker.slots}; 0 means one per core. */
    public static int workerSlots(Config config) {
        int slots = config.getInt("galapagos.worker.slots");
        if (slots < 0) {
            throw new IllegalArgumentException("galapagos.worker.slots must be 0 (one per core) or positive, not " + slots);
        }
        return slots == 0 ? Runtime.getRuntime().availableProcessors() : slots;
    }

    public static EmbeddedNode start(Config config, CandidateEvaluator evaluator,
                                     GeneratorFactory generators) {
        EngineConfig engineConfig = EngineConfig.from(config);
        Duration announce = config.getDuration("galapagos.worker.announce-interval");
        Schema.install(engineConfig.store().url(), engineConfig.store().user(), engineConfig.store().password());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "galapagos", config);
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        Engine engine = Engine.start(system, engineConfig, generators);
        system.systemActorOf(EvaluationWorker.create(evaluator, announce), "evaluation-worker", Props.empty());
        return new EmbeddedNode(system, engine, engineConfig);
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public Engine engine() {
        return engine;
    }

    public EngineConfig engineConfig() {
        return engineConfig;
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the node did not stop: " + e, e);
        }
    }
}
