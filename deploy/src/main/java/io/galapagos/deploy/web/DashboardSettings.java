package io.galapagos.deploy.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where the dashboard listens and who may read it.
 *
 * @param host      the address to bind; anything but loopback needs {@code token}
 * @param port      the port (0: any free one)
 * @param portGiven whether a person chose the port: a taken default port falls back to a free one, a chosen one is an error
 * @param token     what a request must carry when the dashboard is reachable from other machines
 */
public record DashboardSettings(String host, int port, boolean portGiven, Optional<String> token) {

    /** The environment variable that holds the token; its value is never printed or logged. */
    public static final String TOKEN_VARIABLE = "GALAPAGOS_DASHBOARD_TOKEN";

    /** The shortest token accepted: a guessable token would be no protection. */
    static final int MIN_TOKEN_LENGTH = 16;

    public DashboardSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--http-port " + port + " is not a port (0-65535)");
        }
    }

    /**
     * The settings for {@code host} and {@code port}, with the token from the environment when the host
     * is not a loopback address.
     *
     * @throws IllegalArgumentException in one line when the host is unknown, or reachable from other
     *                                  machines without a long enough token
     */
    public static DashboardSettings of(String host, int port, boolean portGiven, Optional<String> tokenVariable) {
        if (loopback(host)) {
            return new DashboardSettings(host, port, portGiven, Optional.empty());
        }
        String token = tokenVariable.map(String::strip).orElse("");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the dashboard on " + host + " is reachable from other machines: set "
                    + TOKEN_VARIABLE + " to a secret of at least " + MIN_TOKEN_LENGTH
                    + " characters, or bind it to 127.0.0.1 with --http-host");
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(TOKEN_VARIABLE + " is too short to protect the dashboard: use at least "
                    + MIN_TOKEN_LENGTH + " characters");
        }
        return new DashboardSettings(host, port, portGiven, Optional.of(token));
    }

    /**
     * These settings if their port is free now; a taken default port gives way to any free one. Checked
     * before a run starts, so that a taken port a person chose stops nothing half-way.
     *
     * @throws IllegalArgumentException in one line when the chosen port is taken
     */
    public DashboardSettings whereFree() {
        if (port == 0 || free(host, port)) {
            return this;
        }
        if (!portGiven) {
            return new DashboardSettings(host, 0, false, token);
        }
        throw new IllegalArgumentException(inUse(host, port));
    }

    static String inUse(String host, int port) {
        return "the dashboard cannot listen on " + host + ":" + port
                + ": it is in use (choose another with --http-port, or turn it off with --no-http)";
    }

    private static boolean free(String host, int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--http-host " + host + " is not an address of this machine");
        }
    }
}
