package io.galapagos.simulators.cantbelate;

/** What a strategy can see; all times in seconds. */
public interface SpotEnv {
    double elapsedSeconds();

    double gapSeconds();

    long tick();

    /** The type running now (NONE right after a spot preemption). */
    ClusterType clusterType();

    double taskDurationSeconds();

    double deadlineSeconds();

    /** Progress so far. */
    double workDoneSeconds();

    double restartOverheadSeconds();

    double remainingRestartOverheadSeconds();
}
