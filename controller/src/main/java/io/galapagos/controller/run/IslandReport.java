package io.galapagos.controller.run;

import io.galapagos.controller.generation.CostTracker;
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
 * @param spending tokens and dollars of the island's model calls, per model
 * @param generator why the generator cannot propose now (paused endpoint, spent budget); empty while it can
 * @param budgetRevision the {@link RunSettings#budgetRevision()} the island works with: a finished island of an
 *                       earlier budget has not finished the extended one
 */
public record IslandReport(int islandNo, long proposed, long evaluated, long failedProposals, Map<String, Long> failures,
                           int inFlight, Optional<BestSummary> best, boolean finished,
                           Map<String, CostTracker.ModelTotals> spending, String generator, int budgetRevision)
        implements CborSerializable {

    /** A report of the run's first budget. */
    public IslandReport(int islandNo, long proposed, long evaluated, long failedProposals, Map<String, Long> failures,
                        int inFlight, Optional<BestSummary> best, boolean finished,
                        Map<String, CostTracker.ModelTotals> spending, String generator) {
        this(islandNo, proposed, evaluated, failedProposals, failures, inFlight, best, finished, spending, generator, 0);
    }

    /** How {@link #generator} starts once the island's share of the USD budget is spent. */
    public static final String BUDGET_EXHAUSTED = "budget exhausted";

    public IslandReport {
        failures = Map.copyOf(failures);
        spending = Map.copyOf(spending);
    }

    public boolean budgetSpent() {
        return generator.startsWith(BUDGET_EXHAUSTED);
    }
}
