package io.galapagos.simulators.txn;

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
 * Scores a scheduler on every workload of a split: one run per workload, each with a fresh candidate.
 * The makespan always comes from the evaluator's own model applied to the order it validated.
 * Score = 1000 / (1 + sum of makespans) * 1000, computed in that order as the original evaluator does.
 */
final class TxnEvaluator<C> implements Evaluator<C> {

    /** Runs one candidate on one workload and returns the validated order. */
    interface Simulation<C> {
        int[] run(C candidate, Workload workload) throws ScheduleViolation;
    }

    private final DataSource source;
    private final Map<Split, List<Workload>> workloads;
    private final Map<String, Integer> identityMakespans = new LinkedHashMap<>();
    private final Simulation<C> simulation;

    TxnEvaluator(DataSource source, Map<Split, List<Workload>> workloads, Simulation<C> simulation) {
        this.source = source;
        this.workloads = Map.copyOf(workloads);
        this.simulation = simulation;
        workloads.values().forEach(list -> list.forEach(w ->
                identityMakespans.put(w.name(), w.makespan(identity(w.size())))));
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends C> candidates, Split split) {
        List<Map<String, Object>> runs = new ArrayList<>();
        long total = 0;
        long identityTotal = 0;
        for (Workload workload : workloads.get(split)) {
            int[] order;
            try {
                order = simulation.run(candidates.get(), workload);
            } catch (ScheduleViolation v) {
                String message = "workload " + workload.name() + ": " + v.getMessage();
                return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION, message, List.of(message), runs);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                        "workload " + workload.name() + ": " + CandidateFailures.describe(e), List.of(), runs);
            }
            int makespan = workload.makespan(order);
            int identity = identityMakespans.get(workload.name());
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("workload", workload.name());
            run.put("transactions", workload.size());
            run.put("makespan", makespan);
            run.put("identityMakespan", identity);
            run.put("longestTransaction", longest(workload));
            runs.add(run);
            total += makespan;
            identityTotal += identity;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("makespan", (double) total);
        metrics.put("identityMakespan", (double) identityTotal);
        double score = score(total);
        return new EvaluationReport(EvaluationStatus.OK, score, metrics, feedback(runs, total, identityTotal), List.of(), runs);
    }

    /**
     * The original's {@code 1000 / (1 + makespan) * 1000}: in floating point it differs from
     * {@code 1e6 / (1 + makespan)} in the last place for about a fifth of makespans (28, 30, 48, ...).
     */
    static double score(long totalMakespan) {
        return 1000.0 / (1.0 + totalMakespan) * 1000.0;
    }

    private static int longest(Workload workload) {
        return workload.transactions().stream().mapToInt(Transaction::length).max().orElse(0);
    }

    /** The workloads ranked by makespan relative to the identity order, worst first. */
    private static String feedback(List<Map<String, Object>> runs, long total, long identityTotal) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "Total makespan %d over %d workloads (identity order: %d, score %.2f).%n",
                total, runs.size(), identityTotal, score(total)));
        List<Map<String, Object>> ranked = new ArrayList<>(runs);
        ranked.sort(Comparator.comparingDouble((Map<String, Object> run) -> ratio(run)).reversed());
        text.append("Workloads, worst relative to the identity order first:\n");
        for (Map<String, Object> run : ranked) {
            text.append(String.format(Locale.ROOT,
                    "- %s: makespan %d, identity order %d (%+.1f%%), longest transaction %d%n",
                    run.get("workload"), (Integer) run.get("makespan"), (Integer) run.get("identityMakespan"),
                    100 * (ratio(run) - 1), (Integer) run.get("longestTransaction")));
        }
        return text.toString();
    }

    private static double ratio(Map<String, Object> run) {
        return ((Integer) run.get("makespan")).doubleValue() / Math.max(1, (Integer) run.get("identityMakespan"));
    }

    @Override
    public int runCount(Split split) {
        return workloads.get(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    /** Workloads of a split, for tests and benchmarks. */
    List<Workload> workloads(Split split) {
        return workloads.get(split);
    }
}
