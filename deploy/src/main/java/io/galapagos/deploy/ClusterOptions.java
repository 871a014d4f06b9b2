package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.deploy.engine.ClusterClient;
import io.galapagos.deploy.engine.RunSession;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The flags of {@code run}, {@code resume} and {@code status} against an existing cluster: which member
 * to join, the cluster's journal database, the address this client is reached at, and the run id
 * (runs on one shared database need distinct ids).
 */
public final class ClusterOptions {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    @Option(names = "--cluster", paramLabel = "HOST:PORT",
            description = "join the cluster through this member instead of starting an embedded node")
    Optional<String> cluster = Optional.empty();

    @Option(names = "--host", description = "with --cluster: the address the cluster reaches this client at (default: galapagos.node.host)")
    Optional<String> host = Optional.empty();

    @Option(names = "--run-id", description = "with --cluster: the run's id in the shared database (run: default <task>-<UTC time>)")
    Optional<String> runId = Optional.empty();

    @CommandLine.Mixin
    StoreOptions store = new StoreOptions();

    private String defaultRunId;

    public boolean active() {
        return cluster.isPresent();
    }

    /** The configuration of the client member (see {@link ClusterClient#config}). */
    Config clientConfig(Optional<Path> configFile) {
        return ClusterClient.config(cluster.orElseThrow(), host, store.flags(), configFile);
    }

    /** The id of the run to start: {@link RunSession#RUN_ID} on the embedded node, else {@link #runIdFor}. */
    String runIdOf(String task) {
        return active() ? runIdFor(task) : RunSession.RUN_ID;
    }

    /** Refuses cluster flags without {@code --cluster}: the embedded node keeps its journal under --out. */
    void checkEmbedded() {
        if (!active() && (runId.isPresent() || host.isPresent() || store.url.isPresent() || store.user.isPresent()
                || store.passwordEnv.isPresent())) {
            throw new IllegalArgumentException("--run-id, --host and --db-* need --cluster "
                    + "(the embedded node keeps its journal under --out)");
        }
    }

    /** The run id: the flag, or {@code <task>-<yyyyMMdd-HHmmss>} in UTC (chosen once). */
    String runIdFor(String task) {
        if (runId.isPresent()) {
            return checked(runId.get());
        }
        if (defaultRunId == null) {
            defaultRunId = task + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        }
        return defaultRunId;
    }

    /** The run id a command about an existing run needs. */
    String requiredRunId() {
        return checked(runId.orElseThrow(() -> new IllegalArgumentException("--cluster needs --run-id of the run")));
    }

    private static String checked(String id) {
        if (!RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad run id '" + id + "' (letters, digits, '.', '_', '-'; at most 100)");
        }
        return id;
    }
}
