package io.galapagos.controller.run;

import io.galapagos.protocol.CborSerializable;

import java.util.Map;
import java.util.Optional;

/**
 * An island's cumulative counters as it reports them to its run; a later report replaces an earlier
 * one, so a lost or repeated report does no harm.
 *
 * @param failures evaluated candidates that failed, by status name
 * @param inFlight candidates proposed and not yet evaluated
 * @param finished the island proposes nothing more and has nothing in flight
 */
public record IslandReport(int islandNo, long proposed, long evaluated, long failedProposals, Map<String, Long> failures,
                           int inFlight, Optional<BestSummary> best, boolean finished) implements CborSerializable {

    public IslandReport {
        failures = Map.copyOf(failures);
    }
}
