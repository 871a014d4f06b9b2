import io.galapagos.simulators.txn.OfflineScheduler;
import io.galapagos.simulators.txn.Schedule;
import io.galapagos.simulators.txn.Workload;

import java.util.ArrayList;
import java.util.List;

/**
 * Sampled shortest-makespan-first, the ADRS seed: start from a random transaction, then repeatedly
 * draw up to 10 of the remaining transactions at random and append the one that gives the smallest
 * makespan; the others go back to the pool.
 */
public class SampledShortestMakespanFirst implements OfflineScheduler {
    // EVOLVE-BLOCK-START
    private static final int SAMPLE_SIZE = 10;

    /** SplitMix64 state: the seed's randomness, seeded so that runs are reproducible. */
    private long randomState = 0L;

    private long nextRandom() {
        long z = (randomState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int below(int bound) {
        return (int) (((nextRandom() >>> 32) * bound) >>> 32);
    }

    @Override
    public int[] schedule(Workload workload) {
        int n = workload.size();
        int first = below(n);
        Schedule schedule = workload.newSchedule();
        schedule.append(workload.transaction(first));
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != first) {
                remaining.add(i);
            }
        }
        while (!remaining.isEmpty()) {
            int best = -1;
            int bestCost = 100000;
            List<Integer> drawn = new ArrayList<>();
            for (int k = 0; k < SAMPLE_SIZE; k++) {
                boolean last = remaining.size() <= 1;
                int index = last ? 0 : below(remaining.size());
                int candidate = remaining.remove(index);
                drawn.add(candidate);
                int cost = schedule.makespanIfAppended(workload.transaction(candidate));
                if (cost < bestCost) {
                    best = candidate;
                    bestCost = cost;
                }
                if (last) {
                    break;
                }
            }
            schedule.append(workload.transaction(best));
            drawn.remove(Integer.valueOf(best));
            remaining.addAll(drawn);
        }
        return schedule.order().stream().mapToInt(Integer::intValue).toArray();
    }
    // EVOLVE-BLOCK-END
}
