package io.galapagos.simulators.cloudcast;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Objective;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.List;

/** Cloudcast multi-cloud broadcast: choose overlay paths that deliver data to every region cheaply. */
public final class CloudcastTask implements Task<BroadcastPlanner> {

    public static final String ID = "cloudcast";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Multi-cloud broadcast (Cloudcast)";
    }

    @Override
    public String summary() {
        return "Route a 300 GB broadcast over AWS, GCP and Azure regions at the lowest egress and VM cost (NSDI'24)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(CloudcastTask.class, "problem.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(CloudcastTask.class, "api.java.txt");
    }

    @Override
    public Class<BroadcastPlanner> candidateType() {
        return BroadcastPlanner.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(new Baseline(Baseline.INITIAL,
                "the ADRS seed: one cheapest-price path (Dijkstra) per destination, used by every partition",
                Resources.text(CloudcastTask.class, "initial.java")));
    }

    /** Cheaper against faster: the total egress cost (the score) traded off with the total transfer time. */
    @Override
    public List<Objective> objectives() {
        return List.of(Objective.minimise("totalCost"), Objective.minimise("totalTransferSeconds"));
    }

    @Override
    public String featureMetric() {
        return "totalCost";
    }

    @Override
    public Evaluator<BroadcastPlanner> evaluator(DataSource source) {
        return new CloudcastEvaluator(source, Broadcasts.load(source));
    }
}
