package io.galapagos.simulators.cantbelate;

/**
 * The single-region Can't-Be-Late simulator, step for step as the original (sky_spot {@code env.py},
 * {@code strategy.py}, {@code simulate.py}). One instance runs many runs one after the other; it is not
 * thread-safe. A candidate never sees it: its {@link SpotEnv} is an {@link SpotObservation}, which holds
 * only the values the interface returns (never the trace), so not even reflection shows the future.
 */
final class SingleRegionSimulator {

    static final double ON_DEMAND_PRICE = 3.06;
    static final double TASK_DURATION_SECONDS = 48 * 3600.0;

    private final double taskDuration;

    private double gap;
    private double deadline;
    private double restartOverhead;
    private boolean[] available;

    private long tick;
    private ClusterType cluster;
    private double remainingOverhead;
    private double workDone;

    SingleRegionSimulator() {
        this(TASK_DURATION_SECONDS);
    }

    SingleRegionSimulator(double taskDurationSeconds) {
        this.taskDuration = taskDurationSeconds;
    }

    /** One run of {@code strategy} (a fresh instance) on {@code trace}. */
    RunOutcome run(SpotStrategy strategy, SpotTrace trace, double deadlineSeconds, double overheadSeconds)
            throws CandidateStepFailure {
        gap = trace.gapSeconds();
        deadline = deadlineSeconds;
        restartOverhead = overheadSeconds;
        available = trace.availabilityView();
        tick = 0;
        cluster = ClusterType.NONE;
        remainingOverhead = 0;
        workDone = 0;
        SpotObservation observation = new SpotObservation(gap, taskDuration, deadline, restartOverhead);

        double onDemandTerm = ON_DEMAND_PRICE * gap / 3600;
        double spotTerm = trace.spotPricePerHour() * gap / 3600;
        double cost = 0;
        while (taskDuration - workDone > 1e-8) {
            ClusterType last = cluster;
            // the interval that just ended is billed at its observed type (NONE adds 0.0)
            cost += last == ClusterType.ON_DEMAND ? onDemandTerm : last == ClusterType.SPOT ? spotTerm : 0.0;
            cluster = decide(strategy, observation, last);
            tick++;
        }
        // the original observes and decides once more after completion; that interval is never billed
        decide(strategy, observation, cluster);
        cluster = ClusterType.NONE;
        tick++;
        return new RunOutcome(cost, tick, 0, 0);
    }

    private ClusterType decide(SpotStrategy strategy, SpotObservation observation, ClusterType last)
            throws CandidateStepFailure {
        boolean hasSpot = availableNow();
        if (last == ClusterType.SPOT && !hasSpot) {
            cluster = ClusterType.NONE;
        }
        if (last != ClusterType.NONE) {
            double progress = Math.max(gap - remainingOverhead, 0);
            remainingOverhead -= gap - progress;
            if (remainingOverhead < 1e-3) {
                remainingOverhead = 0;
            }
            workDone += Math.min(progress, taskDuration - workDone);
        }

        ClusterType proposed;
        try {
            observation.update(tick, cluster, workDone, remainingOverhead);
            proposed = strategy.step(observation, last, hasSpot);
        } catch (Throwable failure) {
            throw CandidateStepFailure.thrown(tick, failure);
        }
        if (proposed == null) {
            throw new CandidateStepFailure(tick, "step returned null (expected NONE, SPOT or ON_DEMAND)");
        }

        ClusterType request = proposed;
        double remainingWork = taskDuration - workDone;
        // the exact tick-rounded test only matters within a few ticks of the deadline; skip it earlier
        double slack = deadline - tick * gap - (remainingWork + restartOverhead);
        if (remainingWork > 1e-3 && slack <= 2 * gap + 1) {
            double remainingTime = Math.floor((deadline - tick * gap) / gap) * gap;
            double needed = Math.ceil((remainingWork + restartOverhead) / gap) * gap;
            if (needed >= remainingTime) {
                // the simulator's strong guarantee: past this point only a running spot or on-demand is allowed
                request = last == ClusterType.SPOT && remainingOverhead < 1e-3 ? ClusterType.SPOT : ClusterType.ON_DEMAND;
            }
        }
        if (request == ClusterType.SPOT && !hasSpot) {
            request = ClusterType.NONE;
        }
        ClusterType current = last == ClusterType.SPOT && !hasSpot ? ClusterType.NONE : last;
        if (current != request && request != ClusterType.NONE) {
            remainingOverhead = restartOverhead;
        }
        return request;
    }

    private boolean availableNow() {
        return tick < available.length && available[(int) tick];
    }
}
