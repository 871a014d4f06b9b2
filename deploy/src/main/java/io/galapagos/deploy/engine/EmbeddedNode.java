package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Engine;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.worker.CandidateEvaluator;
import org.apache.pekko.actor.typed.ActorSystem;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded single node of {@code galapagos run}: every role in one JVM, a one-member cluster that
 * joins itself, the journal in an H2 file under the output directory. It is a {@link ClusterNode}
 * without seed nodes.
 */
public final class EmbeddedNode implements AutoCloseable {

    private final ClusterNode node;

    private EmbeddedNode(ClusterNode node) {
        this.node = node;
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
        Config user = ClusterNode.userConfig(userFile);
        // the run's folder holds its journal and, for a model run, the log of its model calls
        Config journal = ConfigFactory.parseMap(Map.of("galapagos.store.url", journalUrl(out),
                "galapagos.generation.llm-log", out.toAbsolutePath().normalize().toString()));
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
        return ClusterNode.workerSlots(config);
    }

    public static EmbeddedNode start(Config config, CandidateEvaluator evaluator,
                                     GeneratorFactory generators) {
        return new EmbeddedNode(ClusterNode.start(config, Optional.of(evaluator), generators));
    }

    /** The cluster member this node is. */
    public ClusterNode member() {
        return node;
    }

    public ActorSystem<Void> system() {
        return node.system();
    }

    public Engine engine() {
        return node.engine();
    }

    public EngineConfig engineConfig() {
        return node.engineConfig();
    }

    @Override
    public void close() {
        node.close();
    }
}
