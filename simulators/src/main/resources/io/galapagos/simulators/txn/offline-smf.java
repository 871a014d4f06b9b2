import io.galapagos.simulators.txn.OfflineScheduler;
import io.galapagos.simulators.txn.Schedule;
import io.galapagos.simulators.txn.Workload;

/**
 * Shortest-makespan-first (Cheng et al., VLDB'24, with every remaining transaction considered): from
 * a first transaction, always append the transaction that increases the makespan least (lowest id
 * on ties). Tries every first transaction and keeps the best schedule.
 */
public class ShortestMakespanFirst implements OfflineScheduler {
    // EVOLVE-BLOCK-START
    @Override
    public int[] schedule(Workload workload) {
        int n = workload.size();
        Schedule best = null;
        for (int first = 0; first < n; first++) {
            Schedule schedule = greedyFrom(workload, first);
            if (best == null || schedule.makespan() < best.makespan()) {
                best = schedule;
            }
        }
        return best.order().stream().mapToInt(Integer::intValue).toArray();
    }

    private static Schedule greedyFrom(Workload workload, int first) {
        int n = workload.size();
        Schedule schedule = workload.newSchedule();
        schedule.append(workload.transaction(first));
        boolean[] done = new boolean[n];
        done[first] = true;
        for (int step = 1; step < n; step++) {
            int pick = -1;
            int pickCost = Integer.MAX_VALUE;
            for (int t = 0; t < n; t++) {
                if (!done[t]) {
                    int cost = schedule.makespanIfAppended(workload.transaction(t));
                    if (cost < pickCost) {
                        pick = t;
                        pickCost = cost;
                    }
                }
            }
            schedule.append(workload.transaction(pick));
            done[pick] = true;
        }
        return schedule;
    }
    // EVOLVE-BLOCK-END
}
