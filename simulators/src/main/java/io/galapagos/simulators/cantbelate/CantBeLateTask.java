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
 * Can't Be Late (Wu et al., NSDI'24), single region: schedule a 48 h job on spot and on-demand
 * instances so that it meets its deadline at the lowest cost.
 */
public final class CantBeLateTask implements Task<SpotStrategy> {

    public static final String ID = "cant-be-late";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Can't Be Late: spot vs on-demand under a deadline (single region)";
    }

    @Override
    public String summary() {
        return "schedule a 48 h job on spot and on-demand instances to meet its deadline at the lowest cost";
    }

    @Override
    public String problemStatement() {
        return Resources.text(CantBeLateTask.class, "cant-be-late.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(CantBeLateTask.class, "single-region-api.txt");
    }

    @Override
    public Class<SpotStrategy> candidateType() {
        return SpotStrategy.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(
                new Baseline(Baseline.INITIAL, "greedy safety: spot when available, on-demand once the deadline forces it",
                        candidate("GreedySafety.java")),
                new Baseline("uniform-progress", "Uniform Progress (NSDI'24): stay above the linear progress line",
                        candidate("UniformProgress.java")),
                new Baseline("on-demand", "always on-demand", candidate("OnDemandOnly.java")));
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

    /** The original runs one simulator subprocess per trace run: nothing a strategy learns survives into the next run. */
    @Override
    public boolean isolatesRuns() {
        return true;
    }

    @Override
    public Evaluator<SpotStrategy> evaluator(DataSource source) {
        return new CantBeLateEvaluator(source, SingleRegionWorkload.load(source));
    }

    static String candidate(String file) {
        return Resources.text(CantBeLateTask.class, "candidates/" + file);
    }
}
