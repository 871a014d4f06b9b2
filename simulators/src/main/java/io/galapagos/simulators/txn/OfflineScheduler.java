package io.galapagos.simulators.txn;

/** A candidate of {@code txn-offline}: sees the whole workload and orders it. */
public interface OfflineScheduler {

    /**
     * The order to run the workload in: a permutation of {@code 0 .. workload.size() - 1}, every
     * transaction exactly once. The evaluator recomputes the makespan of the returned order.
     */
    int[] schedule(Workload workload);
}
