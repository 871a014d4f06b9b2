package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

/**
 * How an island searches (the {@code galapagos.islands} section).
 *
 * @param inFlight                  candidates an island keeps in generation or evaluation at once
 * @param gridBins                  MAP-Elites bins per feature dimension (code length, task metric)
 * @param archiveSize               the elite archive: the best programs, kept whatever their cell
 * @param explorationRatio          share of parents drawn uniformly from the whole population
 * @param exploitationRatio         share of parents drawn from the elite archive
 * @param eliteRatio                share of parents that are the island's best
 * @param inspirations              programs from other cells shown next to the parent
 * @param topPrograms               best programs shown next to the parent
 * @param migrationInterval         evaluated candidates between two migrations (an epoch: the island offers its
 *                                  migrants, then waits for those of its upstream neighbour)
 * @param migrationRate             programs sent to the ring neighbour per migration
 * @param recentFailures            failed attempts kept for the next prompt
 * @param maxFailedProposalsInRow   an island gives up after this many proposals in a row that failed
 * @param progressIntervalMillis    how often an island reports its counters to the run
 * @param resubmitIntervalMillis    how often an island submits its unevaluated candidates again
 */
public record IslandSettings(int inFlight, int gridBins, int archiveSize, double explorationRatio,
                             double exploitationRatio, double eliteRatio, int inspirations, int topPrograms,
                             int migrationInterval, int migrationRate, int recentFailures, int maxFailedProposalsInRow,
                             long progressIntervalMillis, long resubmitIntervalMillis) implements CborSerializable {

    public IslandSettings {
        positive("in-flight", inFlight);
        positive("grid-bins", gridBins);
        positive("archive-size", archiveSize);
        positive("migration-interval", migrationInterval);
        positive("max-failed-proposals-in-a-row", maxFailedProposalsInRow);
        positive("progress-interval", progressIntervalMillis);
        positive("resubmit-interval", resubmitIntervalMillis);
        notNegative("inspirations", inspirations);
        notNegative("top-programs", topPrograms);
        notNegative("migration-rate", migrationRate);
        notNegative("recent-failures", recentFailures);
        if (explorationRatio < 0 || exploitationRatio < 0 || eliteRatio < 0
                || explorationRatio + exploitationRatio + eliteRatio <= 0) {
            throw new IllegalArgumentException("exploration, exploitation and elite ratios must be non-negative and not all 0");
        }
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive, not " + value);
        }
    }

    private static void notNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(key + " must not be negative, not " + value);
        }
    }
}
