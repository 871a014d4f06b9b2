import io.galapagos.simulators.txn.ArrivalWindow;
import io.galapagos.simulators.txn.OnlineScheduler;
import io.galapagos.simulators.txn.Transaction;

/**
 * Shortest-makespan-first (Cheng et al., VLDB'24) on the arrival window: run the waiting transaction
 * that increases the makespan least, the oldest arrival on ties.
 */
public class ShortestMakespanFirst implements OnlineScheduler {
    // EVOLVE-BLOCK-START
    @Override
    public int next(ArrivalWindow window) {
        int best = -1;
        int bestCost = Integer.MAX_VALUE;
        for (Transaction t : window.window()) {
            int cost = window.makespanIfAppended(t.id());
            if (cost < bestCost) {
                best = t.id();
                bestCost = cost;
            }
        }
        return best;
    }
    // EVOLVE-BLOCK-END
}
