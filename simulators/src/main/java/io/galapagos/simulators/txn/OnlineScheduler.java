package io.galapagos.simulators.txn;

/**
 * A candidate of {@code txn-online}: transactions arrive in workload order into a window of the next
 * arrivals; at each step the scheduler picks one waiting transaction to append to the schedule.
 */
public interface OnlineScheduler {

    /** The id of the window transaction to run next. */
    int next(ArrivalWindow window);
}
