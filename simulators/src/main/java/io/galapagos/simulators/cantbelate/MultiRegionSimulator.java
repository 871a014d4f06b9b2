package io.galapagos.simulators.cantbelate;

import java.util.List;

/**
 * The multi-region Can't-Be-Late simulator, step for step as the original ({@code MultiTraceEnv},
 * {@code MultiRegionStrategy}, {@code simulate.py}; see {@code cant-be-late-multi.md}). One instance
 * runs many runs one after the other; not thread-safe. A candidate never sees it: its
 * {@link MultiRegionEnv} is an {@link Observation} holding only the values the interface returns.
 */
final class MultiRegionSimulator {

    static final double ON_DEMAND_PRICE = 3.06;
    static final double TASK_DURATION_SECONDS = 48 * 3600.0;
    static final double DEADLINE_SECONDS = 52 * 3600.0;
    static final double RESTART_OVERHEAD_SECONDS = 0.2 * 3600;

    private static final byte BILLED_NONE = 0;
    private static final byte BILLED_SPOT = 1;
    private static final byte BILLED_ON_DEMAND = 2;

    private final double taskDuration = TASK_DURATION_SECONDS;
    private final double deadline = DEADLINE_SECONDS;
    private final double restartOverhead = RESTART_OVERHEAD_SECONDS;

    private double gap;
    private boolean[][] available = new boolean[0][];
    private int traceLength;
    private byte[] billed = new byte[0];

    private long tick;
    private ClusterType cluster;
    private int region;
    private double remainingOverhead;
    private double workDone;

    /** One run of {@code strategy} (a fresh instance) on one trace per region; region 0 first. */
    RunOutcome run(MultiRegionStrategy strategy, List<SpotTrace> traces) throws CandidateStepFailure {
        prepare(traces);
        tick = 0;
        cluster = ClusterType.NONE;
        region = 0;
        remainingOverhead = 0;
        workDone = 0;
        Observation observation = new Observation(available.length, gap, taskDuration, deadline, restartOverhead);

        int billedCount = 0;
        int billingRegion = 0;
        int billableCount = 0;
        while (taskDuration - workDone > 1e-8) {
            ClusterType last = cluster;
            billed[billedCount++] = last == ClusterType.SPOT ? BILLED_SPOT
                    : last == ClusterType.ON_DEMAND ? BILLED_ON_DEMAND : BILLED_NONE;
            cluster = decide(strategy, observation, last);
            tick++;
            // the original bills after every loop iteration at the prices of the region current then
            billingRegion = region;
            billableCount = billedCount;
        }
        // one more observation and decision after completion; it may fail the run but is never billed
        decide(strategy, observation, cluster);
        cluster = ClusterType.NONE;
        tick++;
        double cost = bill(traces.get(billingRegion).spotPricePerHour(), billableCount);
        return new RunOutcome(cost, tick, billingRegion, observation.switches);
    }

    /** Left fold over the whole history at one region's prices, each term {@code (price * gap) / 3600}. */
    private double bill(double spotPrice, int count) {
        double spotTerm = (spotPrice * gap) / 3600;
        double onDemandTerm = (ON_DEMAND_PRICE * gap) / 3600;
        double cost = 0;
        for (int k = 0; k < count; k++) {
            byte type = billed[k];
            cost += type == BILLED_SPOT ? spotTerm : type == BILLED_ON_DEMAND ? onDemandTerm : 0.0;
        }
        return cost;
    }

    private void prepare(List<SpotTrace> traces) {
        if (available.length != traces.size()) {
            available = new boolean[traces.size()][];
        }
        for (int r = 0; r < available.length; r++) {
            available[r] = traces.get(r).availabilityView();
        }
        gap = traces.get(0).gapSeconds();
        traceLength = available[0].length;
        if (billed.length < traceLength + 2) {
            billed = new byte[traceLength + 2];
        }
    }

    private ClusterType decide(MultiRegionStrategy strategy, Observation observation, ClusterType last)
            throws CandidateStepFailure {
        if (tick >= traceLength) {
            throw new CandidateStepFailure(tick, "the job was still running at the end of the traces ("
                    + traceLength + " ticks)");
        }
        boolean hasSpot = available[region][(int) tick];
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
            observation.update(tick, cluster, region, workDone, remainingOverhead);
            proposed = strategy.step(observation, last, hasSpot);
        } catch (Throwable failure) {
            throw CandidateStepFailure.thrown(tick, failure);
        }
        if (observation.invalidSwitch != null) {
            throw new CandidateStepFailure(tick, observation.invalidSwitch);
        }
        // the observation checked the switch already; checked again because it is the candidate's object
        if (observation.region < 0 || observation.region >= available.length) {
            throw new CandidateStepFailure(tick, "the current region " + observation.region + " is outside 0.."
                    + (available.length - 1));
        }
        region = observation.region;
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
                request = last == ClusterType.SPOT && remainingOverhead < 1e-3 ? ClusterType.SPOT : ClusterType.ON_DEMAND;
            }
        }
        // a switch made during this step already counts: spot must be available in the new region
        if (request == ClusterType.SPOT && !available[region][(int) tick]) {
            request = ClusterType.NONE;
        }
        // the overhead compares types only: a region change on the same type is free
        ClusterType current = last == ClusterType.SPOT && !hasSpot ? ClusterType.NONE : last;
        if (current != request && request != ClusterType.NONE) {
            remainingOverhead = restartOverhead;
        }
        return request;
    }

    /**
     * What a strategy sees: a copy of the simulator's state, written before every step, and the region
     * switches it asks for, which the simulator reads back and checks after the step.
     */
    private static final class Observation extends SpotObservation implements MultiRegionEnv {
        private final int regionCount;
        private int region;
        private int switches;
        private String invalidSwitch;

        Observation(int regionCount, double gap, double taskDuration, double deadline, double restartOverhead) {
            super(gap, taskDuration, deadline, restartOverhead);
            this.regionCount = regionCount;
        }

        void update(long tick, ClusterType cluster, int region, double workDone, double remainingOverhead) {
            update(tick, cluster, workDone, remainingOverhead);
            this.region = region;
        }

        @Override
        public int regionCount() {
            return regionCount;
        }

        @Override
        public int currentRegion() {
            return region;
        }

        @Override
        public void switchRegion(int target) {
            if (target < 0 || target >= regionCount) {
                String problem = "switchRegion(" + target + ") is outside 0.." + (regionCount - 1);
                if (invalidSwitch == null) {
                    invalidSwitch = problem;
                }
                throw new IllegalArgumentException(problem);
            }
            if (target != region) {
                switches++;
            }
            region = target;
        }
    }
}
