package io.galapagos.simulators.eplb;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.List;
import java.util.Optional;

/** Expert placement for MoE inference (DeepSeek EPLB): replicate and place experts so every GPU works evenly. */
public final class EplbTask implements Task<ExpertPlacer> {

    public static final String ID = "eplb";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "MoE expert-parallel load balancing";
    }

    @Override
    public String summary() {
        return "replicate and place the experts of a MoE model on 288 GPU slots so the next window's load is balanced (DeepSeek EPLB)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(EplbTask.class, "problem.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(EplbTask.class, "candidate-api.txt");
    }

    @Override
    public Class<ExpertPlacer> candidateType() {
        return ExpertPlacer.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(new Baseline(Baseline.INITIAL,
                "DeepSeek's hierarchical EPLB (the published seed): groups to nodes, hottest experts replicated, replicas packed onto GPUs",
                Resources.text(EplbTask.class, "candidates/initial.java")));
    }

    @Override
    public Optional<String> timingTerm() {
        return Optional.of("speed = min(1, 0.1 s / runtimeSeconds), half of the score: the rebalance call's thread CPU time, median of 3 calls");
    }

    @Override
    public String featureMetric() {
        return "balancedness";
    }

    @Override
    public Evaluator<ExpertPlacer> evaluator(DataSource source) {
        return EplbEvaluator.load(source);
    }
}
