package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.deploy.engine.ClusterClient;
import io.galapagos.deploy.engine.RunSession;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,HOST:PORT...]", split = ",",
            description = "work with the cluster of these members (comma-separated or repeated; tried in turn) "
                    + "instead of an embedded node")
    List<String> cluster = new ArrayList<>();

    @Option(names = "--join-timeout", paramLabel = "DURATION",
            description = "with --cluster: how long run/resume try to join before 'cluster unreachable' (default: galapagos.client.join-timeout, 30s)")
    Optional<String> joinTimeout = Optional.empty();

    @Option(names = "--answer-timeout", paramLabel = "DURATION",
            description = "with --cluster: how long run/resume wait for the run to answer (default: galapagos.client.answer-timeout, 2m)")
    Optional<String> answerTimeout = Optional.empty();

    @Option(names = "--read-timeout", paramLabel = "DURATION",
            description = "with --cluster: how long reads of the database may take (default: galapagos.client.read-timeout, 20s)")
    Optional<String> readTimeout = Optional.empty();

    @Option(names = "--host", description = "with --cluster: the address the cluster reaches this client at (default: galapagos.node.host)")
    Optional<String> host = Optional.empty();

    @Option(names = "--run-id", description = "with --cluster: the run's id in the shared database (run: default <task>-<UTC time>)")
    Optional<String> runId = Optional.empty();

    @CommandLine.Mixin
    StoreOptions store = new StoreOptions();

    private String defaultRunId;

    public boolean active() {
        return !cluster.isEmpty();
    }

    /** The {@code --cluster} addresses, blanks dropped, each checked to be HOST:PORT. */
    List<String> addresses() {
        List<String> addresses = cluster.stream().map(String::strip).filter(a -> !a.isEmpty()).distinct().toList();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("--cluster needs at least one HOST:PORT");
        }
        addresses.forEach(ClusterNode::seedAddress);
        return addresses;
    }

    /** The configuration of the client member (see {@link ClusterClient#config}). */
    Config clientConfig(Optional<Path> configFile) {
        return ClusterClient.config(addresses(), host, flags(), configFile);
    }

    /** The store flags and the client's timeouts as {@code galapagos.*} keys, each duration checked. */
    Config flags() {
        Config flags = store.flags();
        flags = timeout(flags, "--join-timeout", "join-timeout", joinTimeout);
        flags = timeout(flags, "--answer-timeout", "answer-timeout", answerTimeout);
        return timeout(flags, "--read-timeout", "read-timeout", readTimeout);
    }

    private static Config timeout(Config flags, String flag, String key, Optional<String> value) {
        if (value.isEmpty()) {
            return flags;
        }
        duration(flag, value.get());
        return flags.withValue("galapagos.client." + key, ConfigValueFactory.fromAnyRef(value.get().strip()));
    }

    /**
     * A positive duration flag in HOCON's notation (30s, 2m).
     *
     * @throws IllegalArgumentException in one line naming {@code flag}
     */
    static Duration duration(String flag, String value) {
        Config parsed = ConfigFactory.empty().withValue("t", ConfigValueFactory.fromAnyRef(value.strip()));
        Duration duration;
        try {
            duration = parsed.getDuration("t");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(flag + ": bad duration '" + value + "' (e.g. 30s, 2m)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(flag + " must be positive, not " + value);
        }
        return duration;
    }

    /** The id of the run to start: {@link RunSession#RUN_ID} on the embedded node, else {@link #runIdFor}. */
    String runIdOf(String task) {
        return active() ? runIdFor(task) : RunSession.RUN_ID;
    }

    /** Refuses cluster flags without {@code --cluster}: the embedded node keeps its journal under --out. */
    void checkEmbedded() {
        if (!active() && (runId.isPresent() || host.isPresent() || store.url.isPresent() || store.user.isPresent()
                || store.passwordEnv.isPresent() || joinTimeout.isPresent() || answerTimeout.isPresent()
                || readTimeout.isPresent())) {
            throw new IllegalArgumentException("--run-id, --host, --db-* and --*-timeout need --cluster "
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

    /** The run id of {@code status}, which without one reports the cluster's members only. */
    Optional<String> optionalRunId() {
        return runId.map(ClusterOptions::checked);
    }

    private static String checked(String id) {
        if (!RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad run id '" + id + "' (letters, digits, '.', '_', '-'; at most 100)");
        }
        return id;
    }
}
