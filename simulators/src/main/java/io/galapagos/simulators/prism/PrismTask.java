package io.galapagos.simulators.prism;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.CandidateApiTypes;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.List;
import java.util.Set;

/** PRISM global model placement: put LLMs on GPUs to minimise the worst KV-cache pressure. */
public final class PrismTask implements Task<PlacementPolicy> {

    public static final String ID = "prism";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "GPU model placement (PRISM)";
    }

    @Override
    public String summary() {
        return "Place LLMs on 80 GB GPUs to minimise the highest KV-cache pressure (weighted request rate per free GB)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(PrismTask.class, "problem.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(PrismTask.class, "api.java.txt");
    }

    @Override
    public Class<PlacementPolicy> candidateType() {
        return PlacementPolicy.class;
    }

    /** The interface's types and {@link KvCachePressure}, which the API offers as the metric: pure functions. */
    @Override
    public Set<Class<?>> candidateApiTypes() {
        return CandidateApiTypes.deriveWith(PlacementPolicy.class, KvCachePressure.class);
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(new Baseline(Baseline.INITIAL,
                "the ADRS seed: models by rate/SLO descending, each on the GPU with room and the lowest weighted rate per free GB",
                Resources.text(PrismTask.class, "initial.java")));
    }

    @Override
    public String featureMetric() {
        return "avgMaxKvpr";
    }

    @Override
    public Evaluator<PlacementPolicy> evaluator(DataSource source) {
        return new PrismEvaluator(source, PlacementCases.load(source));
    }
}
