package io.galapagos.simulators.telemetry;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.List;

/** Network telemetry repair (HotNets'24 Hodor): fix corrupted interface counters of a backbone. */
public final class TelemetryRepairTask implements Task<TelemetryRepairer> {

    public static final String ID = "telemetry-repair";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Network telemetry repair";
    }

    @Override
    public String summary() {
        return "repair dropped and scaled interface counters of a backbone network, with calibrated confidences (HotNets'24 Hodor)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(TelemetryRepairTask.class, "problem.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(TelemetryRepairTask.class, "candidate-api.txt");
    }

    @Override
    public Class<TelemetryRepairer> candidateType() {
        return TelemetryRepairer.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(
                candidate(Baseline.INITIAL, "the published seed without its loop bug: reports every rate as 0 with confidence 1"),
                candidate("identity", "the do-nothing repair: reports every measured value with confidence 1"),
                candidate("hodor", "Hodor-style repair: link symmetry, router-wide fault localisation, flow conservation as tie-break"));
    }

    private static Baseline candidate(String name, String description) {
        return new Baseline(name, description, Resources.text(TelemetryRepairTask.class, "candidates/" + name + ".java"));
    }

    @Override
    public String featureMetric() {
        return "counterRepair";
    }

    @Override
    public Evaluator<TelemetryRepairer> evaluator(DataSource source) {
        return TelemetryRepairEvaluator.load(source);
    }
}
