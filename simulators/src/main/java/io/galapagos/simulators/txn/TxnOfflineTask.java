package io.galapagos.simulators.txn;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Transaction scheduling, offline: order a whole workload to minimise its makespan. */
public final class TxnOfflineTask implements Task<OfflineScheduler> {

    public static final String ID = "txn-offline";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Transaction scheduling (offline)";
    }

    @Override
    public String summary() {
        return "Order the transactions of a workload to minimise the makespan of conflicting reads and writes (VLDB'24)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(TxnOfflineTask.class, "offline-problem.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(TxnOfflineTask.class, "offline-api.java.txt");
    }

    @Override
    public Class<OfflineScheduler> candidateType() {
        return OfflineScheduler.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(
                new Baseline(Baseline.INITIAL, "the ADRS seed: sampled shortest-makespan-first, 10 random candidates per step (SplitMix64 seed 0)",
                        Resources.text(TxnOfflineTask.class, "offline-initial.java")),
                new Baseline("identity", "the workload order 0, 1, ..., n-1",
                        Resources.text(TxnOfflineTask.class, "offline-identity.java")),
                new Baseline("smf", "full shortest-makespan-first (Cheng et al., VLDB'24), best of all first transactions",
                        Resources.text(TxnOfflineTask.class, "offline-smf.java")));
    }

    @Override
    public String featureMetric() {
        return "makespan";
    }

    @Override
    public Evaluator<OfflineScheduler> evaluator(DataSource source) {
        return new TxnEvaluator<>(source, TxnWorkloads.load(source), TxnOfflineTask::simulate);
    }

    static int[] simulate(OfflineScheduler scheduler, Workload workload) throws ScheduleViolation {
        int[] returned = scheduler.schedule(workload);
        int n = workload.size();
        if (returned == null) {
            throw new ScheduleViolation("schedule(...) returned null instead of a permutation of 0.." + (n - 1));
        }
        // checked and scored on the evaluator's own copy: the candidate keeps its array
        int[] order = returned.clone();
        int[] seenAt = new int[n];
        java.util.Arrays.fill(seenAt, -1);
        for (int i = 0; i < order.length; i++) {
            int id = order[i];
            if (id < 0 || id >= n) {
                throw new ScheduleViolation("position " + i + " holds " + id + ", which is not a transaction id (0.." + (n - 1) + ")");
            }
            if (seenAt[id] >= 0) {
                throw new ScheduleViolation("transaction " + id + " is scheduled twice (positions " + seenAt[id] + " and " + i + ")");
            }
            seenAt[id] = i;
        }
        if (order.length != n) {
            List<Integer> missing = new ArrayList<>();
            for (int id = 0; id < n; id++) {
                if (seenAt[id] < 0) {
                    missing.add(id);
                }
            }
            throw new ScheduleViolation("the schedule has " + order.length + " of " + n + " transactions; missing: "
                    + missing.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "))
                    + (missing.size() > 20 ? ", ..." : ""));
        }
        return order;
    }
}
