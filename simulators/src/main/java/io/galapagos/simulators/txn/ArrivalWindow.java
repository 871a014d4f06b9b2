package io.galapagos.simulators.txn;

import java.util.List;

/**
 * What an online scheduler sees at one step: the transactions that have arrived and wait to be
 * scheduled, in arrival order, and the schedule built so far (which can never be reordered).
 */
public interface ArrivalWindow {

    /** The waiting transactions, oldest arrival first; never empty while a pick is asked for. */
    List<Transaction> window();

    /** How many transactions the window holds at most. */
    int capacity();

    /** Number of transactions in the whole workload. */
    int workloadSize();

    /** Number of transactions that have not arrived yet. */
    int pendingArrivals();

    /** Ids of the transactions scheduled so far, in order. */
    List<Integer> scheduled();

    /** Makespan of the schedule so far. */
    int makespan();

    /** Makespan after appending the waiting transaction {@code transactionId} (must be in the window). */
    int makespanIfAppended(int transactionId);

    /** A copy of the schedule so far, to look ahead by appending window transactions to it. */
    Schedule scheduleCopy();
}
