import io.galapagos.simulators.txn.ArrivalWindow;
import io.galapagos.simulators.txn.OnlineScheduler;
import io.galapagos.simulators.txn.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The ADRS seed (sampled shortest-makespan-first) on the arrival window: a random first pick, then
 * at every step draw up to 10 waiting transactions at random and run the one that gives the
 * smallest makespan (the first drawn wins ties).
 */
public class SampledShortestMakespanFirst implements OnlineScheduler {
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
    public int next(ArrivalWindow window) {
        List<Integer> waiting = new ArrayList<>();
        for (Transaction t : window.window()) {
            waiting.add(t.id());
        }
        if (window.scheduled().isEmpty()) {
            return waiting.get(below(waiting.size()));
        }
        int best = -1;
        int bestCost = 100000;
        for (int k = 0; k < SAMPLE_SIZE && !waiting.isEmpty(); k++) {
            int index = waiting.size() > 1 ? below(waiting.size()) : 0;
            int candidate = waiting.remove(index);
            int cost = window.makespanIfAppended(candidate);
            if (cost < bestCost) {
                best = candidate;
                bestCost = cost;
            }
        }
        return best;
    }
    // EVOLVE-BLOCK-END
}
