package io.galapagos.simulators.cantbelate;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.ConstraintMetric;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Objective;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.List;

/**
 * Can't Be Late across regions (the ADRS multi-region case study): schedule a 48 h job with a 52 h
 * deadline on spot and on-demand instances of several regions at the lowest cost.
 */
public final class CantBeLateMultiTask implements Task<MultiRegionStrategy> {

    public static final String ID = "cant-be-late-multi";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Can't Be Late: spot vs on-demand under a deadline, across regions";
    }

    @Override
    public String summary() {
        return "move a 48 h job between regions and between spot and on-demand to meet a 52 h deadline cheaply";
    }

    @Override
    public String problemStatement() {
        return Resources.text(CantBeLateMultiTask.class, "cant-be-late-multi.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(CantBeLateMultiTask.class, "multi-region-api.txt");
    }

    @Override
    public Class<MultiRegionStrategy> candidateType() {
        return MultiRegionStrategy.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(
                new Baseline(Baseline.INITIAL, "round robin: spot when available, else try the next region",
                        CantBeLateTask.candidate("RoundRobin.java")),
                new Baseline("on-demand", "always on-demand in the first region",
                        CantBeLateTask.candidate("MultiRegionOnDemand.java")));
    }

    /** Cheaper against later: mean cost (what the score rewards) traded off with deadline misses (what it ignores). */
    @Override
    public List<Objective> objectives() {
        return List.of(Objective.minimise("avgCost"), Objective.minimise("deadlineMisses"));
    }

    @Override
    public String featureMetric() {
        return "avgCost";
    }

    /** A late run is not penalised in the score: only this metric shows it. */
    @Override
    public List<ConstraintMetric> constraintMetrics() {
        return List.of(new ConstraintMetric("deadlineMisses", true));
    }

    /** The original runs one simulator subprocess per run: nothing a strategy learns survives into the next run. */
    @Override
    public boolean isolatesRuns() {
        return true;
    }

    @Override
    public Evaluator<MultiRegionStrategy> evaluator(DataSource source) {
        return new CantBeLateMultiEvaluator(source, MultiRegionWorkload.load(source));
    }
}
