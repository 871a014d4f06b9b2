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
import java.util.Map;
import java.util.function.Supplier;

/**
 * Evaluates single-region candidates like the original evaluator: every run of the split, then
 * {@code score = -mean(cost) - 0.25 * std(cost)} (population std). Deadline misses are not penalised,
 * as in the original, but reported in the metrics and the feedback.
 */
final class CantBeLateEvaluator implements Evaluator<SpotStrategy> {

    static final double STD_WEIGHT = 0.25;
    private static final int WORST_SCENARIOS = 5;
    private static final int LISTED_MISSES = 10;

    private final DataSource source;
    private final SingleRegionWorkload workload;

    CantBeLateEvaluator(DataSource source, SingleRegionWorkload workload) {
        this.source = source;
        this.workload = workload;
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends SpotStrategy> candidates, Split split) {
        List<SingleRegionWorkload.ScheduledRun> runs = workload.runs(split);
        int n = runs.size();
        double[] costs = new double[n];
        long[] finalTicks = new long[n];
        SingleRegionSimulator simulator = new SingleRegionSimulator();
        for (int i = 0; i < n; i++) {
            SingleRegionWorkload.ScheduledRun run = runs.get(i);
            SpotStrategy strategy;
            try {
                strategy = candidates.get();
            } catch (RuntimeException | StackOverflowError e) {
                return failure(run.describe() + ": creating the candidate failed: " + CandidateFailures.describe(e),
                        runs, costs, finalTicks, i);
            }
            if (strategy == null) {
                return failure(run.describe() + ": the candidate factory returned null", runs, costs, finalTicks, i);
            }
            try {
                RunOutcome outcome = simulator.run(strategy, run.trace(), run.deadlineHours() * 3600.0,
                        run.overheadHours() * 3600);
                costs[i] = outcome.cost();
                finalTicks[i] = outcome.finalTick();
            } catch (CandidateStepFailure f) {
                return failure(run.describe() + ", tick " + f.tick() + ": " + f.getMessage(), runs, costs, finalTicks, i);
            }
        }
        return report(runs, costs, finalTicks);
    }

    @Override
    public int runCount(Split split) {
        return workload.runs(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    SingleRegionWorkload workload() {
        return workload;
    }

    private EvaluationReport report(List<SingleRegionWorkload.ScheduledRun> runs, double[] costs, long[] finalTicks) {
        CostSummary all = CostSummary.of(costs);
        double score = -all.mean() - STD_WEIGHT * all.std();

        List<String> misses = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (missed(runs.get(i), finalTicks[i])) {
                SingleRegionWorkload.ScheduledRun run = runs.get(i);
                misses.add(String.format(java.util.Locale.ROOT, "- %s trace %s dl=%d o=%s: finished at %.2f h",
                        run.env(), run.traceName(), run.deadlineHours(), run.overheadHours(),
                        completionSeconds(run, finalTicks[i]) / 3600));
            }
        }

        // scenarios in first-appearance order; runs of a scenario are contiguous in the grid
        Map<String, CostSummary> scenarios = new LinkedHashMap<>();
        int from = 0;
        for (int i = 1; i <= runs.size(); i++) {
            if (i == runs.size() || !runs.get(i).sameScenario(runs.get(from))) {
                scenarios.put(runs.get(from).scenario(), CostSummary.of(costs, from, i));
                from = i;
            }
        }

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("avgCost", all.mean());
        metrics.put("costStd", all.std());
        metrics.put("minCost", all.min());
        metrics.put("maxCost", all.max());
        metrics.put("deadlineMisses", (double) misses.size());
        metrics.put("runs", (double) runs.size());
        for (Map.Entry<String, CostSummary> s : scenarios.entrySet()) {
            metrics.put(s.getKey() + ".avgCost", s.getValue().mean());
            metrics.put(s.getKey() + ".costStd", s.getValue().std());
        }

        return new EvaluationReport(EvaluationStatus.OK, score, metrics, feedback(all, score, scenarios, misses),
                List.of(), details(runs, costs, finalTicks, runs.size()));
    }

    private static String feedback(CostSummary all, double score, Map<String, CostSummary> scenarios,
                                   List<String> misses) {
        StringBuilder text = new StringBuilder();
        text.append("Mean cost ").append(CostSummary.dollars(all.mean())).append(" over ").append(all.count())
                .append(" runs (std ").append(CostSummary.dollars(all.std())).append(", min ")
                .append(CostSummary.dollars(all.min())).append(", max ").append(CostSummary.dollars(all.max()))
                .append("); score ").append(CostSummary.decimal(score)).append(" = -mean - 0.25*std.\n");
        text.append("Worst scenarios (mean cost high → needs work):\n");
        scenarios.entrySet().stream()
                .sorted(Map.Entry.<String, CostSummary>comparingByValue(Comparator.comparingDouble(CostSummary::mean))
                        .reversed())
                .limit(WORST_SCENARIOS)
                .forEach(s -> {
                    String[] parts = s.getKey().split("\\|d48_dl|_o");
                    text.append("- ").append(parts[0]).append(" d=48 dl=").append(parts[1]).append(" o=")
                            .append(parts[2]).append(": avg=").append(CostSummary.dollars(s.getValue().mean()))
                            .append(", std=").append(CostSummary.dollars(s.getValue().std()))
                            .append(", n=").append(s.getValue().count()).append('\n');
                });
        if (misses.isEmpty()) {
            text.append("Deadline misses: none.");
        } else {
            text.append("Deadline misses: ").append(misses.size())
                    .append(" runs finished after their deadline (not penalised in the score, but the job was late):\n");
            misses.stream().limit(LISTED_MISSES).forEach(m -> text.append(m).append('\n'));
            if (misses.size() > LISTED_MISSES) {
                text.append("- and ").append(misses.size() - LISTED_MISSES).append(" more\n");
            }
        }
        return text.toString().stripTrailing();
    }

    private EvaluationReport failure(String message, List<SingleRegionWorkload.ScheduledRun> runs, double[] costs,
                                     long[] finalTicks, int completed) {
        return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, message, List.of(),
                details(runs, costs, finalTicks, completed));
    }

    private static List<Map<String, Object>> details(List<SingleRegionWorkload.ScheduledRun> runs, double[] costs,
                                                     long[] finalTicks, int count) {
        List<Map<String, Object>> details = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SingleRegionWorkload.ScheduledRun run = runs.get(i);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("env", run.env());
            detail.put("trace", run.traceName());
            detail.put("deadlineHours", run.deadlineHours());
            detail.put("overheadHours", run.overheadHours());
            detail.put("cost", costs[i]);
            detail.put("finalTick", finalTicks[i]);
            detail.put("deadlineMissed", missed(run, finalTicks[i]));
            details.add(detail);
        }
        return details;
    }

    /** The job completes during the tick before the last observation: at {@code (finalTick - 2) * gap}. */
    private static double completionSeconds(SingleRegionWorkload.ScheduledRun run, long finalTick) {
        return (finalTick - 2) * (double) run.trace().gapSeconds();
    }

    private static boolean missed(SingleRegionWorkload.ScheduledRun run, long finalTick) {
        return completionSeconds(run, finalTick) > run.deadlineHours() * 3600.0;
    }
}
