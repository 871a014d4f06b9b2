package io.galapagos.simulators.txn;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.Candidates;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.PythonRandom;
import io.galapagos.simulators.SplitMix64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden numbers of ../shared/tasks/txn-scheduling.md (X4), measured on the original evaluator. */
class TxnFidelityTest {

    private static List<Workload> published;
    private static Evaluator<OfflineScheduler> offline;

    @BeforeAll
    static void load() {
        offline = new TxnOfflineTask().evaluator(AdrsData.source());
        published = ((TxnEvaluator<OfflineScheduler>) offline).workloads(Split.TRAIN);
    }

    private static List<Integer> makespans(EvaluationReport report) {
        assertThat(report.status()).as(report.feedback()).isEqualTo(EvaluationStatus.OK);
        return report.runs().stream().map(r -> (Integer) r.get("makespan")).toList();
    }

    @Test
    void publishedWorkloadsKeepTheirFileOrder() {
        assertThat(published).extracting(Workload::name).containsExactly("WORKLOAD_1", "WORKLOAD_2", "WORKLOAD_3");
        assertThat(published).allSatisfy(w -> assertThat(w.size()).isEqualTo(100));
        assertThat(published.get(2).transaction(0).text()).isEqualTo("r-4 * * * * * * * w-6");
    }

    @Test
    void identityBaselineGivesTheGoldenMakespans() {
        EvaluationReport report = offline.evaluate(Candidates.baseline(new TxnOfflineTask(), "identity"), Split.TRAIN);
        assertThat(makespans(report)).containsExactly(452, 38, 47);
        assertThat(report.metrics()).containsEntry("makespan", 537.0);
        assertThat(report.score()).isEqualTo(1000.0 / 538 * 1000);
    }

    @Test
    void shippedSeedProcedureWithCPythonRandomReproducesTheOriginalSchedules() {
        int[] expectedTotals = {369, 378, 376, 365, 366, 367, 368, 355, 360, 360};
        for (int seed = 0; seed < 10; seed++) {
            PythonRandom mt = PythonRandom.seeded(seed);
            List<int[]> schedules = new ArrayList<>();
            int total = 0;
            for (Workload w : published) {
                int[] order = sampledSmf(w, mt::randbelow, mt::random);
                schedules.add(order);
                total += w.makespan(order);
            }
            assertThat(total).as("CPython seed %d", seed).isEqualTo(expectedTotals[seed]);
            if (seed == 0) {
                assertThat(java.util.Arrays.copyOf(schedules.get(0), 10)).containsExactly(49, 5, 28, 14, 88, 78, 53, 74, 22, 62);
                assertThat(new int[]{published.get(0).makespan(schedules.get(0)), published.get(1).makespan(schedules.get(1)),
                        published.get(2).makespan(schedules.get(2))}).containsExactly(256, 55, 58);
            }
        }
    }

    @Test
    void sampledSmfWithSplitMix64ReproducesThePortTable() {
        int[] expectedTotals = {361, 359, 356, 366, 373, 357, 355, 372, 370, 360};
        for (int seed = 0; seed < 10; seed++) {
            SplitMix64 rng = new SplitMix64(seed);
            int total = 0;
            for (Workload w : published) {
                total += w.makespan(sampledSmf(w, rng::below, null));
            }
            assertThat(total).as("SplitMix64 seed %d", seed).isEqualTo(expectedTotals[seed]);
        }
    }

    @Test
    void initialBaselineIsTheSampledSeedRestartedPerWorkload() {
        EvaluationReport report = offline.evaluate(Candidates.baseline(new TxnOfflineTask(), "initial"), Split.TRAIN);
        List<Integer> makespans = makespans(report);
        // W1 comes first, so it equals the SplitMix64 seed 0 row of the port table (244/55/62)
        assertThat(makespans.get(0)).isEqualTo(244);
        for (int i = 0; i < 3; i++) {
            assertThat(makespans.get(i)).isEqualTo(published.get(i).makespan(sampledSmf(published.get(i), new SplitMix64(0)::below, null)));
        }
    }

    @Test
    void fullSmfFromSeededAndFixedStartsMatchesTheTable() {
        SplitMix64 rng = new SplitMix64(0);
        int[] seeded = published.stream().mapToInt(w -> w.makespan(smf(w, rng.below(100)))).toArray();
        assertThat(seeded).containsExactly(226, 55, 39);
        int[] startZero = published.stream().mapToInt(w -> w.makespan(smf(w, 0))).toArray();
        assertThat(startZero).containsExactly(228, 55, 39);
        assertThat(java.util.Arrays.copyOf(smf(published.get(0), 24), 12)).containsExactly(24, 11, 37, 1, 82, 88, 0, 14, 5, 78, 74, 50);
    }

    @Test
    void smfBaselineFindsTheBestStartOfEveryWorkload() {
        EvaluationReport report = offline.evaluate(Candidates.baseline(new TxnOfflineTask(), "smf"), Split.TRAIN);
        assertThat(makespans(report)).containsExactly(203, 55, 39);
        assertThat(report.metrics()).containsEntry("makespan", 297.0);
    }

    @Test
    void onlineFirstComeFirstServedIsTheIdentityOrder() {
        Evaluator<OnlineScheduler> online = new TxnOnlineTask().evaluator(AdrsData.source());
        EvaluationReport report = online.evaluate(Candidates.baseline(new TxnOnlineTask(), "identity"), Split.TRAIN);
        assertThat(makespans(report)).containsExactly(452, 38, 47);
    }

    @Test
    void onlineSmfWithAWindowOfTheWholeWorkloadIsFullSmf() {
        TxnOnlineTask whole = new TxnOnlineTask(100);
        EvaluationReport report = whole.evaluator(AdrsData.source()).evaluate(Candidates.baseline(whole, "smf"), Split.TRAIN);
        // all W1 and W3 transactions have the same length, so the first pick is transaction 0
        assertThat(makespans(report).get(0)).isEqualTo(228);
        assertThat(makespans(report).get(2)).isEqualTo(39);
    }

    /**
     * The shipped seed (X2): random first transaction, then the cheapest of up to 10 random draws.
     * {@code discard} is the CPython draw compared with sample_rate, absent in the SplitMix64 variant.
     */
    static int[] sampledSmf(Workload w, IntUnaryOperator below, java.util.function.DoubleSupplier discard) {
        int n = w.size();
        int first = below.applyAsInt(n);
        Schedule schedule = w.newSchedule();
        schedule.append(w.transaction(first));
        List<Integer> rem = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != first) {
                rem.add(i);
            }
        }
        for (int step = 0; step < n - 1; step++) {
            if (discard != null) {
                discard.getAsDouble();
            }
            int best = -1;
            int bestCost = 100000;
            List<Integer> held = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                boolean last = rem.size() <= 1;
                int idx = last ? 0 : below.applyAsInt(rem.size());
                int t = rem.remove(idx);
                held.add(t);
                int c = schedule.makespanIfAppended(w.transaction(t));
                if (c < bestCost) {
                    best = t;
                    bestCost = c;
                }
                if (last) {
                    break;
                }
            }
            schedule.append(w.transaction(best));
            held.remove(Integer.valueOf(best));
            rem.addAll(held);
        }
        return schedule.order().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Full SMF from a given first transaction (X3), lowest id on ties. */
    static int[] smf(Workload w, int first) {
        Schedule schedule = w.newSchedule();
        schedule.append(w.transaction(first));
        while (schedule.size() < w.size()) {
            int pick = -1;
            int cost = Integer.MAX_VALUE;
            for (int t = 0; t < w.size(); t++) {
                if (!schedule.contains(t)) {
                    int c = schedule.makespanIfAppended(w.transaction(t));
                    if (c < cost) {
                        pick = t;
                        cost = c;
                    }
                }
            }
            schedule.append(w.transaction(pick));
        }
        return schedule.order().stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void runsReportEveryWorkloadWithItsMakespan() {
        EvaluationReport report = offline.evaluate(Candidates.baseline(new TxnOfflineTask(), "identity"), Split.TRAIN);
        assertThat(report.runs()).first().isEqualTo(Map.of("workload", "WORKLOAD_1", "transactions", 100,
                "makespan", 452, "identityMakespan", 452, "longestTransaction", 16));
    }
}
