package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

/**
 * How an island searches (the {@code galapagos.islands} section), kept in the run's journal: every value
 * here changes which candidates are proposed or kept. How often an island reports and resubmits is its
 * node's ({@link IslandTimers}). The rules are in {@link #check()}, for settings built from configuration,
 * so that a journal is never rejected by a later rule.
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
 * @param nearDuplicateSimilarity   a proposal at least this similar ({@link CodeSimilarity}) to its parent or a
 *                                  program shown with it is rejected as a near-duplicate; 1 = off
 * @param tuning                    whether and how the island tunes the numeric literals of its bests
 * @param constraints               how parents, migrants and bests respect the task's constraint metrics
 * @param objectives                whether parents, the archive and migrants rank by score or by the task's
 *                                  objectives (Pareto fronts)
 * @param noise                     whether the task's evaluator is stochastic, and how bests are then re-evaluated
 */
public record IslandSettings(int inFlight, int gridBins, int archiveSize, double explorationRatio,
                             double exploitationRatio, double eliteRatio, int inspirations, int topPrograms,
                             int migrationInterval, int migrationRate, int recentFailures, int maxFailedProposalsInRow,
                             double nearDuplicateSimilarity, TuningSettings tuning, Constraints constraints,
                             Objectives objectives, Noise noise)
        implements CborSerializable {

    public IslandSettings {
        // settings journalled before format 5 have none: those runs go on as they ran, without the check
        nearDuplicateSimilarity = nearDuplicateSimilarity == 0 ? 1.0 : nearDuplicateSimilarity;
        tuning = tuning == null ? TuningSettings.OFF : tuning; // journalled before tuning existed
        // nor constraints (before format 6): those runs go on ranking by score alone
        constraints = constraints == null ? Constraints.OFF : constraints;
        objectives = objectives == null ? Objectives.SCORE : objectives; // nor objectives (before format 7)
        noise = noise == null ? Noise.OFF : noise; // journalled before format 7: a deterministic task
    }

    /** Settings ranked by score, without noise (the shape of settings before format 7). */
    public IslandSettings(int inFlight, int gridBins, int archiveSize, double explorationRatio,
                          double exploitationRatio, double eliteRatio, int inspirations, int topPrograms,
                          int migrationInterval, int migrationRate, int recentFailures, int maxFailedProposalsInRow,
                          double nearDuplicateSimilarity, TuningSettings tuning, Constraints constraints) {
        this(inFlight, gridBins, archiveSize, explorationRatio, exploitationRatio, eliteRatio, inspirations,
                topPrograms, migrationInterval, migrationRate, recentFailures, maxFailedProposalsInRow,
                nearDuplicateSimilarity, tuning, constraints, Objectives.SCORE, Noise.OFF);
    }

    /** Settings of an island that tunes nothing and has no constraints (the shape of settings before them). */
    public IslandSettings(int inFlight, int gridBins, int archiveSize, double explorationRatio,
                          double exploitationRatio, double eliteRatio, int inspirations, int topPrograms,
                          int migrationInterval, int migrationRate, int recentFailures, int maxFailedProposalsInRow,
                          double nearDuplicateSimilarity) {
        this(inFlight, gridBins, archiveSize, explorationRatio, exploitationRatio, eliteRatio, inspirations,
                topPrograms, migrationInterval, migrationRate, recentFailures, maxFailedProposalsInRow,
                nearDuplicateSimilarity, TuningSettings.OFF, Constraints.OFF);
    }

    public IslandSettings withTuning(TuningSettings newTuning) {
        return new IslandSettings(inFlight, gridBins, archiveSize, explorationRatio, exploitationRatio, eliteRatio,
                inspirations, topPrograms, migrationInterval, migrationRate, recentFailures, maxFailedProposalsInRow,
                nearDuplicateSimilarity, newTuning, constraints, objectives, noise);
    }

    /** These settings with the constraint mode applied to the task's constraint metrics (name to lower is better). */
    public IslandSettings withConstraintMetrics(java.util.Map<String, Boolean> taskMetrics) {
        return new IslandSettings(inFlight, gridBins, archiveSize, explorationRatio, exploitationRatio, eliteRatio,
                inspirations, topPrograms, migrationInterval, migrationRate, recentFailures, maxFailedProposalsInRow,
                nearDuplicateSimilarity, tuning, constraints.withMetrics(taskMetrics), objectives, noise);
    }

    /** These settings with the objectives mode applied to the task's objectives. */
    public IslandSettings withObjectives(java.util.List<Objectives.Objective> taskObjectives) {
        return new IslandSettings(inFlight, gridBins, archiveSize, explorationRatio, exploitationRatio, eliteRatio,
                inspirations, topPrograms, migrationInterval, migrationRate, recentFailures, maxFailedProposalsInRow,
                nearDuplicateSimilarity, tuning, constraints, objectives.withObjectives(taskObjectives), noise);
    }

    /** These settings for a task that is {@code stochastic} or not, with its own count of repeats if it has one. */
    public IslandSettings withNoise(boolean stochastic, java.util.Optional<Integer> taskRepeats) {
        return new IslandSettings(inFlight, gridBins, archiveSize, explorationRatio, exploitationRatio, eliteRatio,
                inspirations, topPrograms, migrationInterval, migrationRate, recentFailures, maxFailedProposalsInRow,
                nearDuplicateSimilarity, tuning, constraints, objectives, noise.forTask(stochastic, taskRepeats));
    }

    /** Throws {@link IllegalArgumentException} naming the {@code galapagos.islands} key at fault. */
    public IslandSettings check() {
        positive("in-flight", inFlight);
        positive("grid-bins", gridBins);
        positive("archive-size", archiveSize);
        positive("migration-interval", migrationInterval);
        positive("max-failed-proposals-in-a-row", maxFailedProposalsInRow);
        notNegative("inspirations", inspirations);
        notNegative("top-programs", topPrograms);
        notNegative("migration-rate", migrationRate);
        notNegative("recent-failures", recentFailures);
        if (!(nearDuplicateSimilarity > 0 && nearDuplicateSimilarity <= 1)) {
            throw new IllegalArgumentException("galapagos.islands.near-duplicate-similarity must be above 0 and at most 1 (1 = off), not "
                    + nearDuplicateSimilarity);
        }
        if (explorationRatio < 0 || exploitationRatio < 0 || eliteRatio < 0
                || explorationRatio + exploitationRatio + eliteRatio <= 0) {
            throw new IllegalArgumentException("exploration, exploitation and elite ratios must be non-negative and not all 0");
        }
        tuning.check();
        noise.check();
        return this;
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
