package io.galapagos.controller;

import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.island.IslandTimers;
import io.galapagos.controller.run.RunSettings;

import java.util.List;
import java.util.Optional;

/** Settings for tests: small, fast, no timers in the way. */
public final class Fixtures {

    public static final String SEED_CODE = String.join("\n",
            "public class Candidate {",
            "    // EVOLVE-BLOCK-START",
            "    double value() { return 1.0; }",
            "    // EVOLVE-BLOCK-END",
            "}");

    private Fixtures() {
    }

    public static IslandSettings islandSettings(int inFlight) {
        return new IslandSettings(inFlight, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0);
    }

    /** Intervals no test waits for: a test that wants a report or a resubmission asks for it. */
    public static IslandTimers islandTimers() {
        return new IslandTimers(java.time.Duration.ofHours(1), java.time.Duration.ofHours(1));
    }

    public static RunSettings runSettings(int islands, long iterations, int inFlight) {
        return runSettings(islands, iterations, inFlight, false);
    }

    public static RunSettings runSettings(int islands, long iterations, int inFlight, boolean testBest) {
        return new RunSettings("r1", "fake", 7, islands, iterations, 3_600_000, 0, Optional.empty(),
                List.of("SMOKE", "TRAIN"), testBest, Optional.empty(), 42, SEED_CODE, "value", islandSettings(inFlight));
    }
}
