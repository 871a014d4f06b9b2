import io.galapagos.simulators.txn.OfflineScheduler;
import io.galapagos.simulators.txn.Workload;

/** The workload order: transaction 0, then 1, and so on. */
public class IdentityOrder implements OfflineScheduler {
    // EVOLVE-BLOCK-START
    @Override
    public int[] schedule(Workload workload) {
        int[] order = new int[workload.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }
    // EVOLVE-BLOCK-END
}
