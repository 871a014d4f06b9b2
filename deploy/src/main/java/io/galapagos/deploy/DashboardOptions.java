package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.deploy.web.DashboardSettings;
import picocli.CommandLine.Option;

import java.util.Optional;

/** The dashboard flags of {@code run} and {@code resume}: where it listens, or that it is off. */
public final class DashboardOptions {

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "the dashboard's port (default: galapagos.http.port, 7070; a free one when that is taken)")
    Optional<Integer> port = Optional.empty();

    @Option(names = "--http-host", paramLabel = "HOST",
            description = "the dashboard's address (default: galapagos.http.host, 127.0.0.1; any other needs "
                    + DashboardSettings.TOKEN_VARIABLE + ")")
    Optional<String> host = Optional.empty();

    @Option(names = "--no-http", description = "no dashboard and no /metrics")
    boolean off;

    /**
     * The dashboard's settings from the flags over {@code galapagos.http}; empty with {@code --no-http} and
     * for a cluster's client, whose dashboard the controllers serve.
     *
     * @throws IllegalArgumentException in one line for a bad port, or another host without a token
     */
    Optional<DashboardSettings> settings(Config config, boolean clusterClient) {
        if (clusterClient) {
            if (port.isPresent() || host.isPresent()) {
                throw new IllegalArgumentException("--http-port and --http-host are for a run on this machine: the "
                        + "dashboard of a cluster is served by its controllers (galapagos node --http-port)");
            }
            return Optional.empty();
        }
        if (off) {
            if (port.isPresent() || host.isPresent()) {
                throw new IllegalArgumentException("--no-http turns the dashboard off: drop --http-port and --http-host");
            }
            return Optional.empty();
        }
        return Optional.of(DashboardSettings.of(host.orElse(config.getString("galapagos.http.host")),
                port.orElse(config.getInt("galapagos.http.port")), port.isPresent(),
                Optional.ofNullable(System.getenv(DashboardSettings.TOKEN_VARIABLE))).whereFree());
    }
}
