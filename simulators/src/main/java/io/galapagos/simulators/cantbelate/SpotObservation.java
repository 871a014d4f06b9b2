package io.galapagos.simulators.cantbelate;

/**
 * What a strategy sees: a copy of a simulator's state, written before every step, with no reference to
 * the simulator or its trace. The simulator never reads it back, so a strategy that alters it changes
 * nothing but its own view.
 */
class SpotObservation implements SpotEnv {
    private final double gap;
    private final double taskDuration;
    private final double deadline;
    private final double restartOverhead;
    private long tick;
    private ClusterType cluster = ClusterType.NONE;
    private double workDone;
    private double remainingOverhead;

    SpotObservation(double gap, double taskDuration, double deadline, double restartOverhead) {
        this.gap = gap;
        this.taskDuration = taskDuration;
        this.deadline = deadline;
        this.restartOverhead = restartOverhead;
    }

    void update(long tick, ClusterType cluster, double workDone, double remainingOverhead) {
        this.tick = tick;
        this.cluster = cluster;
        this.workDone = workDone;
        this.remainingOverhead = remainingOverhead;
    }

    @Override
    public double elapsedSeconds() {
        return tick * gap;
    }

    @Override
    public double gapSeconds() {
        return gap;
    }

    @Override
    public long tick() {
        return tick;
    }

    @Override
    public ClusterType clusterType() {
        return cluster;
    }

    @Override
    public double taskDurationSeconds() {
        return taskDuration;
    }

    @Override
    public double deadlineSeconds() {
        return deadline;
    }

    @Override
    public double workDoneSeconds() {
        return workDone;
    }

    @Override
    public double restartOverheadSeconds() {
        return restartOverhead;
    }

    @Override
    public double remainingRestartOverheadSeconds() {
        return remainingOverhead;
    }
}
