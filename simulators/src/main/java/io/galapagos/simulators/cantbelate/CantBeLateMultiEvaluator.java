package io.galapagos.simulators.cantbelate;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Evaluates multi-region candidates like the original evaluator: the mean cost of each scenario, then
 * {@code score = -mean of the scenario means}. A failing run fails the whole evaluation (the original
 * dropped the rest of that scenario instead).
 */
final class CantBeLateMultiEvaluator implements Evaluator<MultiRegionStrategy> {

    private static final int WORST_SCENARIOS = 5;

    private final DataSource source;
    private final MultiRegionWorkload workload;

    CantBeLateMultiEvaluator(DataSource source, MultiRegionWorkload workload) {
        this.source = source;
        this.workload = workload;
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends MultiRegionStrategy> candidates, Split split) {
        List<MultiRegionWorkload.ScheduledRun> runs = workload.runs(split);
        int n = runs.size();
        RunOutcome[] outcomes = new RunOutcome[n];
        MultiRegionSimulator simulator = new MultiRegionSimulator();
        for (int i = 0; i < n; i++) {
            MultiRegionWorkload.ScheduledRun run = runs.get(i);
            MultiRegionStrategy strategy;
            try {
                strategy = candidates.get();
            } catch (RuntimeException | StackOverflowError e) {
                return failure(run.describe() + ": creating the candidate failed: " + CandidateFailures.describe(e),
                        runs, outcomes, i);
            }
            if (strategy == null) {
                return failure(run.describe() + ": the candidate factory returned null", runs, outcomes, i);
            }
            try {
                outcomes[i] = simulator.run(strategy, run.traces());
            } catch (CandidateStepFailure f) {
                return failure(run.describe() + ", tick " + f.tick() + ": " + f.getMessage(), runs, outcomes, i);
            }
        }
        return report(runs, outcomes);
    }

    @Override
    public int runCount(Split split) {
        return workload.runs(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    private EvaluationReport report(List<MultiRegionWorkload.ScheduledRun> runs, RunOutcome[] outcomes) {
        double[] costs = new double[runs.size()];
        int switches = 0;
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            costs[i] = outcomes[i].cost();
            switches += outcomes[i].switches();
            if (missed(runs.get(i), outcomes[i])) {
                misses.add(String.format(Locale.ROOT, "- %s trace %d: finished at %.2f h (deadline 52 h)",
                        runs.get(i).scenario().name(), runs.get(i).traceIndex(),
                        completionSeconds(runs.get(i), outcomes[i]) / 3600));
            }
        }
        // scenario mean = left-fold total / count, then the mean of the means, exactly as the original
        Map<String, CostSummary> scenarios = new LinkedHashMap<>();
        Map<String, Double> scenarioMeans = new LinkedHashMap<>();
        int from = 0;
        for (int i = 1; i <= runs.size(); i++) {
            if (i == runs.size() || runs.get(i).scenario() != runs.get(from).scenario()) {
                double total = 0;
                for (int k = from; k < i; k++) {
                    total += costs[k];
                }
                String name = runs.get(from).scenario().name();
                scenarioMeans.put(name, total / (i - from));
                scenarios.put(name, CostSummary.of(costs, from, i));
                from = i;
            }
        }
        double sumOfMeans = 0;
        for (double mean : scenarioMeans.values()) {
            sumOfMeans += mean;
        }
        double meanOfMeans = sumOfMeans / scenarioMeans.size();
        double score = -meanOfMeans;

        CostSummary all = CostSummary.of(costs);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("avgCost", meanOfMeans);
        metrics.put("costStd", all.std());
        metrics.put("minCost", all.min());
        metrics.put("maxCost", all.max());
        metrics.put("deadlineMisses", (double) misses.size());
        metrics.put("regionSwitches", (double) switches);
        metrics.put("runs", (double) runs.size());
        scenarioMeans.forEach((name, mean) -> metrics.put(name + ".avgCost", mean));

        return new EvaluationReport(EvaluationStatus.OK, score, metrics,
                feedback(meanOfMeans, all, scenarios, scenarioMeans, misses), List.of(),
                details(runs, outcomes, runs.size()));
    }

    private static String feedback(double meanOfMeans, CostSummary all, Map<String, CostSummary> scenarios,
                                   Map<String, Double> scenarioMeans, List<String> misses) {
        StringBuilder text = new StringBuilder();
        text.append("Mean of the scenario mean costs ").append(CostSummary.dollars(meanOfMeans)).append(" over ")
                .append(all.count()).append(" runs in ").append(scenarios.size()).append(" scenarios (run costs from ")
                .append(CostSummary.dollars(all.min())).append(" to ").append(CostSummary.dollars(all.max()))
                .append("); score ").append(CostSummary.decimal(-meanOfMeans)).append(" = -that mean.\n");
        text.append("Worst scenarios (mean cost high → needs work):\n");
        scenarioMeans.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(WORST_SCENARIOS)
                .forEach(s -> {
                    CostSummary stats = scenarios.get(s.getKey());
                    text.append("- ").append(s.getKey()).append(": avg=").append(CostSummary.dollars(s.getValue()))
                            .append(", std=").append(CostSummary.dollars(stats.std())).append(", n=")
                            .append(stats.count()).append('\n');
                });
        if (misses.isEmpty()) {
            text.append("Deadline misses: none.");
        } else {
            text.append("Deadline misses: ").append(misses.size())
                    .append(" runs finished after the deadline (not penalised in the score, but the job was late):\n");
            misses.forEach(m -> text.append(m).append('\n'));
        }
        return text.toString().stripTrailing();
    }

    private EvaluationReport failure(String message, List<MultiRegionWorkload.ScheduledRun> runs,
                                     RunOutcome[] outcomes, int completed) {
        return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, message, List.of(),
                details(runs, outcomes, completed));
    }

    private static List<Map<String, Object>> details(List<MultiRegionWorkload.ScheduledRun> runs,
                                                     RunOutcome[] outcomes, int count) {
        List<Map<String, Object>> details = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MultiRegionWorkload.ScheduledRun run = runs.get(i);
            RunOutcome outcome = outcomes[i];
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("scenario", run.scenario().name());
            detail.put("trace", run.traceIndex());
            detail.put("cost", outcome.cost());
            detail.put("finalTick", outcome.finalTick());
            detail.put("finalRegion", run.scenario().regions().get(outcome.finalRegion()));
            detail.put("regionSwitches", outcome.switches());
            detail.put("deadlineMissed", missed(run, outcome));
            details.add(detail);
        }
        return details;
    }

    private static double completionSeconds(MultiRegionWorkload.ScheduledRun run, RunOutcome outcome) {
        return (outcome.finalTick() - 2) * (double) run.traces().get(0).gapSeconds();
    }

    private static boolean missed(MultiRegionWorkload.ScheduledRun run, RunOutcome outcome) {
        return outcome.missedDeadline(run.traces().get(0).gapSeconds(), MultiRegionSimulator.DEADLINE_SECONDS);
    }
}
