package io.galapagos.simulators.telemetry;

/**
 * What a router reports for one of its interfaces: rates as measured (possibly corrupted), the
 * link status, and where the interface sits in the topology.
 *
 * @param status       {@code "up"} or {@code "down"}
 * @param rxRate       receive rate measured on this interface (Mbps)
 * @param txRate       transmit rate measured on this interface (Mbps)
 * @param connectedTo  the interface at the other end of the link ({@code B_to_A} for {@code A_to_B})
 * @param localRouter  the router that owns this interface
 * @param remoteRouter the router at the other end of the link
 */
public record InterfaceCounters(String status, double rxRate, double txRate, String connectedTo,
                                String localRouter, String remoteRouter) {

    InterfaceCounters withRates(double rx, double tx) {
        return new InterfaceCounters(status, rx, tx, connectedTo, localRouter, remoteRouter);
    }
}
