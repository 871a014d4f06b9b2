package io.galapagos.controller.run;

import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.protocol.CborSerializable;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A run's spec: what it needs to be replayed the same, fixed when it starts and kept in the journal, so
 * that a resumed run goes on with the search it started with. What only says how a node runs it is not in
 * here but taken from the current configuration of the node that hosts its islands: the islands' report
 * and resubmit intervals ({@link io.galapagos.controller.island.IslandTimers}) and how models are called
 * ({@link io.galapagos.controller.generation.ModelCalls}: timeouts, retries, circuit, concurrency, moved
 * endpoints). The constructor only fills what an older journal lacks; the rules are {@link #check()}'s.
 *
 * @param iterations      budget of evaluated candidates over all islands (seeds included)
 * @param wallClockMillis budget of run time, summed over sessions (a resumed run continues the clock); 0 = no limit
 * @param earlyStopAfter  stop after this many evaluated candidates without a new best; 0 = never
 * @param targetScore     stop once the best score reaches it
 * @param cascade         the splits every candidate runs for selection, in order
 * @param testBest        run the held-out TEST split for every new island best
 * @param initialProgram  the task's initial program: the seed of every island
 * @param featureMetric   the task metric used as the second MAP-Elites dimension
 * @param generation      how children are proposed: the offline engine or models, with the USD budget
 * @param seedPrograms    programs of an earlier run that seed the islands instead of {@code initialProgram}
 *                        (best first, see {@link #seedsOf}); empty: every island starts from the initial program
 * @param budgetRevision  how often the budget was extended ({@code resume --iterations}); islands report the
 *                        revision they work with, so that a report of an earlier budget never completes the run
 */
public record RunSettings(String runId, String taskId, long seed, int islands, long iterations, long wallClockMillis,
                          long earlyStopAfter, Optional<Double> targetScore, List<String> cascade, boolean testBest,
                          Optional<String> dataDirectory, long dataSeed, String initialProgram, String featureMetric,
                          IslandSettings island, GenerationSettings generation, List<String> seedPrograms,
                          int budgetRevision) implements CborSerializable {

    public RunSettings {
        // settings journalled before branched runs existed have no seed programs
        seedPrograms = seedPrograms == null ? List.of() : List.copyOf(seedPrograms);
        cascade = cascade == null ? List.of() : List.copyOf(cascade);
        targetScore = targetScore == null ? Optional.empty() : targetScore;
        dataDirectory = dataDirectory == null ? Optional.empty() : dataDirectory;
        generation = generation == null ? GenerationSettings.offline() : generation;
    }

    /**
     * Throws {@link IllegalArgumentException} with one line when settings built from configuration and flags
     * are not a run; the rules live here, not in the constructor, so that no later rule rejects a journal.
     */
    public RunSettings check() {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(initialProgram, "initialProgram");
        Objects.requireNonNull(featureMetric, "featureMetric");
        Objects.requireNonNull(island, "island").check();
        generation.check();
        checkBudget();
        if (earlyStopAfter < 0) {
            throw new IllegalArgumentException("early-stop-after must be 0 (off) or positive, not " + earlyStopAfter);
        }
        if (cascade.isEmpty()) {
            throw new IllegalArgumentException("the cascade needs at least one split");
        }
        return this;
    }

    /** The rules of a budget alone: those a budget extension of a journalled run must keep. */
    public RunSettings checkBudget() {
        if (islands < 1) {
            throw new IllegalArgumentException("a run needs at least one island, not " + islands);
        }
        if (iterations < islands) {
            throw new IllegalArgumentException("iterations (" + iterations + ") must be at least the number of islands ("
                    + islands + "): every island evaluates its seed");
        }
        if (wallClockMillis < 0) {
            throw new IllegalArgumentException("the wall-clock budget must be positive, or 0 for no limit");
        }
        for (int n = 0; n < islands; n++) {
            if (quota(n) < seedsOf(n).size()) {
                throw new IllegalArgumentException("iterations (" + iterations + ") are too few for the "
                        + seedPrograms.size() + " seed programs: every island evaluates its seeds (" + islands
                        + " islands, each the best and its share of the others)");
            }
        }
        return this;
    }

    /** A run that starts every island from {@code initialProgram}. */
    public RunSettings(String runId, String taskId, long seed, int islands, long iterations, long wallClockMillis,
                       long earlyStopAfter, Optional<Double> targetScore, List<String> cascade, boolean testBest,
                       Optional<String> dataDirectory, long dataSeed, String initialProgram, String featureMetric,
                       IslandSettings island, GenerationSettings generation) {
        this(runId, taskId, seed, islands, iterations, wallClockMillis, earlyStopAfter, targetScore, cascade, testBest,
                dataDirectory, dataSeed, initialProgram, featureMetric, island, generation, List.of(), 0);
    }

    /** A run that proposes with the offline mutation engine. */
    public RunSettings(String runId, String taskId, long seed, int islands, long iterations, long wallClockMillis,
                       long earlyStopAfter, Optional<Double> targetScore, List<String> cascade, boolean testBest,
                       Optional<String> dataDirectory, long dataSeed, String initialProgram, String featureMetric,
                       IslandSettings island) {
        this(runId, taskId, seed, islands, iterations, wallClockMillis, earlyStopAfter, targetScore, cascade, testBest,
                dataDirectory, dataSeed, initialProgram, featureMetric, island, GenerationSettings.offline());
    }

    /** The share of the iteration budget of island {@code islandNo}: the budget split as evenly as possible. */
    public long quota(int islandNo) {
        return quota(iterations, islands, islandNo);
    }

    private static long quota(long iterations, int islands, int islandNo) {
        return islands < 1 ? 0 : iterations / islands + (islandNo < iterations % islands ? 1 : 0);
    }

    public String islandId(int islandNo) {
        return runId + "/" + islandNo;
    }

    /** The ring neighbour that receives this island's migrants. */
    public String neighbourOf(int islandNo) {
        return islandId((islandNo + 1) % islands);
    }

    /**
     * The programs island {@code islandNo} starts from, evaluated as its first candidates: the initial
     * program, or for a branched run the best seed program plus its share of the others (round robin).
     */
    public List<String> seedsOf(int islandNo) {
        return seeds(seedPrograms, initialProgram, islands, islandNo);
    }

    private static List<String> seeds(List<String> seedPrograms, String initialProgram, int islands, int islandNo) {
        if (seedPrograms.isEmpty()) {
            return List.of(initialProgram);
        }
        List<String> seeds = new java.util.ArrayList<>();
        seeds.add(seedPrograms.get(0));
        for (int j = 1; j < seedPrograms.size(); j++) {
            if ((j - 1) % islands == islandNo) {
                seeds.add(seedPrograms.get(j));
            }
        }
        return List.copyOf(seeds);
    }

    /** Seed candidates over all islands. */
    public long seedCount() {
        long count = 0;
        for (int n = 0; n < islands; n++) {
            count += seedsOf(n).size();
        }
        return count;
    }

    /** The run-time budget; empty when the run has none. */
    public Optional<Duration> wallClockBudget() {
        return wallClockMillis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(wallClockMillis));
    }

    public RunSettings withIterations(long newIterations) {
        return new RunSettings(runId, taskId, seed, islands, newIterations, wallClockMillis, earlyStopAfter, targetScore,
                cascade, testBest, dataDirectory, dataSeed, initialProgram, featureMetric, island, generation,
                seedPrograms, budgetRevision);
    }

    public RunSettings withGeneration(GenerationSettings newGeneration) {
        return new RunSettings(runId, taskId, seed, islands, iterations, wallClockMillis, earlyStopAfter, targetScore,
                cascade, testBest, dataDirectory, dataSeed, initialProgram, featureMetric, island, newGeneration,
                seedPrograms, budgetRevision);
    }

    /** Islands start from these programs of an earlier run (best first) instead of the initial program. */
    public RunSettings withSeedPrograms(List<String> programs) {
        return new RunSettings(runId, taskId, seed, islands, iterations, wallClockMillis, earlyStopAfter, targetScore,
                cascade, testBest, dataDirectory, dataSeed, initialProgram, featureMetric, island, generation,
                programs, budgetRevision);
    }

    /**
     * The budget of a resumed run: the new totals (empty keeps one), as the next budget revision; whether
     * they make a valid budget is {@link #checkBudget()}'s.
     */
    public RunSettings extended(Optional<Long> newIterations, Optional<Long> newWallClockMillis) {
        return new RunSettings(runId, taskId, seed, islands, newIterations.orElse(iterations),
                newWallClockMillis.orElse(wallClockMillis), earlyStopAfter, targetScore, cascade, testBest,
                dataDirectory, dataSeed, initialProgram, featureMetric, island, generation, seedPrograms,
                budgetRevision + 1);
    }
}
