package io.galapagos.controller.run;

import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.protocol.CborSerializable;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a run needs, fixed when it starts and kept in the journal, so that a resumed run goes on
 * with the settings it started with.
 *
 * @param iterations      budget of evaluated candidates over all islands (seeds included)
 * @param wallClockMillis budget of run time, summed over sessions (a resumed run continues the clock)
 * @param earlyStopAfter  stop after this many evaluated candidates without a new best; 0 = never
 * @param targetScore     stop once the best score reaches it
 * @param cascade         the splits every candidate runs for selection, in order
 * @param testBest        run the held-out TEST split for every new island best
 * @param initialProgram  the task's initial program: the seed of every island
 * @param featureMetric   the task metric used as the second MAP-Elites dimension
 * @param generation      how children are proposed: the offline engine or models, with the USD budget
 */
public record RunSettings(String runId, String taskId, long seed, int islands, long iterations, long wallClockMillis,
                          long earlyStopAfter, Optional<Double> targetScore, List<String> cascade, boolean testBest,
                          Optional<String> dataDirectory, long dataSeed, String initialProgram, String featureMetric,
                          IslandSettings island, GenerationSettings generation) implements CborSerializable {

    public RunSettings {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(targetScore, "targetScore");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(initialProgram, "initialProgram");
        Objects.requireNonNull(featureMetric, "featureMetric");
        Objects.requireNonNull(island, "island");
        Objects.requireNonNull(generation, "generation");
        cascade = List.copyOf(cascade);
        if (islands < 1) {
            throw new IllegalArgumentException("a run needs at least one island, not " + islands);
        }
        if (iterations < islands) {
            throw new IllegalArgumentException("iterations (" + iterations + ") must be at least the number of islands ("
                    + islands + "): every island evaluates its seed");
        }
        if (wallClockMillis <= 0) {
            throw new IllegalArgumentException("the wall-clock budget must be positive");
        }
        if (earlyStopAfter < 0) {
            throw new IllegalArgumentException("early-stop-after must be 0 (off) or positive, not " + earlyStopAfter);
        }
        if (cascade.isEmpty()) {
            throw new IllegalArgumentException("the cascade needs at least one split");
        }
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
        return iterations / islands + (islandNo < iterations % islands ? 1 : 0);
    }

    public String islandId(int islandNo) {
        return runId + "/" + islandNo;
    }

    /** The ring neighbour that receives this island's migrants. */
    public String neighbourOf(int islandNo) {
        return islandId((islandNo + 1) % islands);
    }

    public RunSettings withIterations(long newIterations) {
        return new RunSettings(runId, taskId, seed, islands, newIterations, wallClockMillis, earlyStopAfter, targetScore,
                cascade, testBest, dataDirectory, dataSeed, initialProgram, featureMetric, island, generation);
    }

    public RunSettings withGeneration(GenerationSettings newGeneration) {
        return new RunSettings(runId, taskId, seed, islands, iterations, wallClockMillis, earlyStopAfter, targetScore,
                cascade, testBest, dataDirectory, dataSeed, initialProgram, featureMetric, island, newGeneration);
    }
}
