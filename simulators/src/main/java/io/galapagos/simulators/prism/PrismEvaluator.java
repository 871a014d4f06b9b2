package io.galapagos.simulators.prism;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Scores a placement policy on every case of a split: one run per case, a fresh candidate each.
 * Score = 1 / mean(max KVPR) + success rate, as in the original evaluator; unlike it, every
 * placement is validated (each model exactly once, memory limit) and any failed case fails the
 * evaluation, so that dropping hard cases can never raise the score.
 */
final class PrismEvaluator implements Evaluator<PlacementPolicy> {

    private static final int WORST_SHOWN = 5;

    private final DataSource source;
    private final Map<Split, List<PlacementCase>> cases;

    PrismEvaluator(DataSource source, Map<Split, List<PlacementCase>> cases) {
        this.source = source;
        this.cases = Map.copyOf(cases);
        cases.values().forEach(list -> list.forEach(c -> {
            if (c.models().stream().map(Model::name).distinct().count() != c.models().size()) {
                throw new WorkloadException("placement case " + c.index() + " has models with the same name");
            }
        }));
    }

    /** A validated placement and its pressure; {@code gpus.get(g)} are the models of GPU g. */
    record CaseResult(PlacementCase placementCase, List<List<Model>> gpus, double maxKvpr, int bottleneckGpu) {
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends PlacementPolicy> candidates, Split split) {
        List<Map<String, Object>> runs = new ArrayList<>();
        List<CaseResult> results = new ArrayList<>();
        for (PlacementCase c : cases.get(split)) {
            String where = "case " + c.index() + " (" + c.gpuCount() + " GPUs, " + c.models().size() + " models)";
            CaseResult result;
            try {
                Map<Integer, List<Model>> placement = candidates.get().place(c.gpuCount(), c.models());
                result = validate(c, placement);
            } catch (PlacementViolation v) {
                String message = where + ": " + v.getMessage();
                return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION, message, List.of(message), runs);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, where + ": " + CandidateFailures.describe(e),
                        List.of(), runs);
            }
            results.add(result);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("case", c.index());
            run.put("gpus", c.gpuCount());
            run.put("models", c.models().size());
            run.put("maxKvpr", result.maxKvpr());
            run.put("bottleneckGpu", result.bottleneckGpu());
            runs.add(run);
        }
        double[] kvpr = results.stream().mapToDouble(CaseResult::maxKvpr).toArray();
        double mean = KvCachePressure.numpyMean(kvpr);
        double inverse = mean != 0 ? 1.0 / mean : 0.0;
        double successRate = 1.0;
        double score = finite(inverse) + successRate;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("avgMaxKvpr", mean);
        metrics.put("worstMaxKvpr", java.util.Arrays.stream(kvpr).max().orElse(0));
        metrics.put("successRate", successRate);
        return new EvaluationReport(EvaluationStatus.OK, score, metrics, feedback(results, mean, score), List.of(), runs);
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? x : 0.0;
    }

    static CaseResult validate(PlacementCase c, Map<Integer, List<Model>> placement) throws PlacementViolation {
        if (placement == null) {
            throw new PlacementViolation("place(...) returned null instead of a map from GPU id to models");
        }
        Map<String, Model> byName = new HashMap<>();
        c.models().forEach(m -> byName.put(m.name(), m));
        Map<String, Integer> placedOn = new HashMap<>();
        List<List<Model>> gpus = new ArrayList<>();
        for (int g = 0; g < c.gpuCount(); g++) {
            gpus.add(new ArrayList<>());
        }
        for (Map.Entry<Integer, List<Model>> entry : placement.entrySet()) {
            Integer gpu = entry.getKey();
            if (gpu == null || gpu < 0 || gpu >= c.gpuCount()) {
                throw new PlacementViolation("GPU id " + gpu + " does not exist (GPUs are 0.." + (c.gpuCount() - 1) + ")");
            }
            List<Model> models = entry.getValue();
            if (models == null) {
                throw new PlacementViolation("GPU " + gpu + " maps to null instead of a list of models");
            }
            for (Model m : models) {
                Model own = m == null ? null : byName.get(m.name());
                if (own == null || !own.equals(m)) {
                    throw new PlacementViolation("GPU " + gpu + " holds " + m + ", which is not one of the input models");
                }
                Integer previous = placedOn.put(m.name(), gpu);
                if (previous != null) {
                    throw new PlacementViolation(m.name() + " is placed twice (GPUs " + previous + " and " + gpu + ")");
                }
                // the evaluator's own copy: nothing the candidate returns is trusted
                gpus.get(gpu).add(own);
            }
        }
        if (placedOn.size() != c.models().size()) {
            String missing = c.models().stream().map(Model::name).filter(n -> !placedOn.containsKey(n))
                    .collect(Collectors.joining(", "));
            throw new PlacementViolation("models not placed: " + missing);
        }
        double max = Double.NEGATIVE_INFINITY;
        int bottleneck = -1;
        for (int g = 0; g < gpus.size(); g++) {
            int used = gpus.get(g).stream().mapToInt(Model::sizeGb).sum();
            if (used > PlacementPolicy.GPU_MEMORY_GB) {
                throw new PlacementViolation("GPU " + g + " holds " + used + " GB of models, more than its "
                        + PlacementPolicy.GPU_MEMORY_GB + " GB: " + describe(gpus.get(g)));
            }
            double k = KvCachePressure.of(gpus.get(g));
            if (k > max) {
                max = k;
                bottleneck = g;
            }
        }
        return new CaseResult(c, gpus, max, bottleneck);
    }

    private static String describe(List<Model> models) {
        return models.stream().map(m -> String.format(Locale.ROOT, "%s (%d GB, rate %d, slo %d)",
                m.name(), m.sizeGb(), m.requestRate(), m.slo())).collect(Collectors.joining(", "));
    }

    private static String feedback(List<CaseResult> results, double mean, double score) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "All %d cases placed. Mean of the per-case max KV-cache pressure %.6f (score %.4f = 1/mean + success rate 1).%n",
                results.size(), mean, score));
        List<CaseResult> worst = new ArrayList<>(results);
        worst.sort(Comparator.comparingDouble(CaseResult::maxKvpr).reversed());
        text.append("Cases with the highest max KVPR (they dominate the mean):\n");
        for (CaseResult r : worst.subList(0, Math.min(WORST_SHOWN, worst.size()))) {
            List<Model> hot = r.gpus().get(r.bottleneckGpu());
            int used = hot.stream().mapToInt(Model::sizeGb).sum();
            text.append(String.format(Locale.ROOT, "- case %d (%d GPUs, %d models): max KVPR %.6f on GPU %d, %d GB used: %s%n",
                    r.placementCase().index(), r.placementCase().gpuCount(), r.placementCase().models().size(),
                    r.maxKvpr(), r.bottleneckGpu(), used, describe(hot)));
        }
        return text.toString();
    }

    @Override
    public int runCount(Split split) {
        return cases.get(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    List<PlacementCase> cases(Split split) {
        return cases.get(split);
    }
}
