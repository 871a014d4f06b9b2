package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.galapagos.controller.Engine;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.controller.store.Schema;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.deploy.cluster.KnownSettings;
import io.galapagos.worker.CandidateEvaluator;
import org.apache.pekko.actor.typed.ActorSystem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded single node of {@code galapagos run}: every role in one JVM, a one-member cluster that
 * joins itself, the journal in an H2 file under the output directory. It is a {@link ClusterNode}
 * without seed nodes.
 */
public final class EmbeddedNode implements AutoCloseable {

    /** The embedded node's own Pekko timings, above the node defaults: a one-member cluster stops at once. */
    static final String EMBEDDED_DEFAULTS = "galapagos-embedded.conf";

    private final ClusterNode node;

    private EmbeddedNode(ClusterNode node) {
        this.node = node;
    }

    /** The H2 URL of the journal of a run whose output directory is {@code out}. */
    public static String journalUrl(Path out) {
        // whichever connection of the process opens the file first sets the database's LOB timeout: the
        // resume's read of the run's events does, and keeps it open for the node (see Schema#blobsLetGo)
        return Schema.blobsLetGo("jdbc:h2:file:" + journalBase(out) + ";DATABASE_TO_UPPER=false;AUTO_SERVER=TRUE");
    }

    /**
     * The journal of the run in {@code out} opened read-only and without a server: quicker to open and
     * close than {@link #journalUrl}. Readers use it only while no process holds the folder: it shares the
     * file with other read-only readers but keeps a run from opening it. A file its last writer did not
     * close (a process halted mid-write) may not open this way; only a read-write open recovers it.
     */
    public static String readOnlyJournalUrl(Path out) {
        return "jdbc:h2:file:" + journalBase(out) + ";DATABASE_TO_UPPER=false;ACCESS_MODE_DATA=r";
    }

    /** H2's database name: its files are this path with {@code .mv.db} and, while open, {@code .lock.db}. */
    private static Path journalBase(Path out) {
        return out.toAbsolutePath().normalize().resolve("journal").resolve("galapagos");
    }

    /** {@code galapagos.store}'s url, user and password of the journal of a run whose output directory is {@code out}. */
    private static Config journalConfig(Path out) {
        return ConfigFactory.parseMap(Map.of("galapagos.store.url", journalUrl(out), "galapagos.store.user", "sa",
                "galapagos.store.password", ""));
    }

    /**
     * Just the {@code galapagos.store} settings of the run in {@code out}, as {@link #config} would give them
     * without flags: the user's file over the folder's journal. It reads no module's defaults, for the
     * commands that only read a journal and must answer at once. With {@code readOnly}, when no live
     * process holds the folder, its H2 journal is opened read-only ({@link #readOnlyJournalUrl}); while a
     * run holds it, through that run's H2 server, as without.
     */
    public static Config storeConfig(Path out, Optional<Path> userFile, boolean readOnly) {
        try {
            Config store = ClusterNode.userConfig(userFile).withFallback(journalConfig(out))
                    .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
            String url = store.getString("galapagos.store.url");
            // a run that was killed leaves H2's lock file, which only a server-mode open takes over
            if (readOnly && url.equals(journalUrl(out)) && !RunFolderLock.held(out)
                    && !Files.exists(Path.of(journalBase(out) + ".lock.db"))) {
                url = readOnlyJournalUrl(out);
            }
            return ConfigFactory.parseMap(Map.of("galapagos.store.url", url,
                    "galapagos.store.user", store.getString("galapagos.store.user"),
                    "galapagos.store.password", store.getString("galapagos.store.password")));
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The configuration of a node: {@code overrides} (flags), then the user's file, then the journal
     * under {@code out}, then the embedded node's timings, the node defaults and every module's
     * {@code reference.conf}.
     */
    public static Config config(Path out, Optional<Path> userFile, Config overrides) {
        Config user = ClusterNode.userConfig(userFile);
        // the run's folder holds its journal and, for a model run, the log of its model calls
        Config journal = journalConfig(out).withFallback(ConfigFactory.parseMap(
                Map.of("galapagos.generation.llm-log", out.toAbsolutePath().normalize().toString())));
        try {
            Config defaults = ConfigFactory.parseResources(EMBEDDED_DEFAULTS)
                    .withFallback(ConfigFactory.parseResources("galapagos-node.conf"))
                    .withFallback(ConfigFactory.defaultReference());
            KnownSettings.check(user, defaults.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true)));
            Config layered = overrides.withFallback(user).withFallback(journal).withFallback(defaults);
            Config config = layered.resolve();
            // the run's H2 journal lets go of read BLOBs soon. It keeps H2's write delay: a commit written
            // before it returns (a cluster node's WRITE_DELAY=0) made the file of a fast run grow by a chunk
            // per commit, kept for H2's 45 s retention (1.1 GB after 22,000 engine-only evaluations)
            String url = config.getString("galapagos.store.url");
            String lean = Schema.blobsLetGo(url);
            if (!lean.equals(url)) {
                config = ConfigFactory.parseMap(Map.of("galapagos.store.url", lean)).withFallback(layered).resolve();
            }
            KnownSettings.checkRelated(config);
            return config;
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
