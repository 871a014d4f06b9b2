package io.galapagos.simulators.txn;

import java.util.List;

/**
 * A named set of transactions to schedule; transaction {@code i} has id {@code i}.
 *
 * @param name         e.g. {@code WORKLOAD_1}
 * @param transactions in id order
 */
public record Workload(String name, List<Transaction> transactions) {

    public Workload {
        transactions = List.copyOf(transactions);
        for (int i = 0; i < transactions.size(); i++) {
            if (transactions.get(i).id() != i) {
                throw new IllegalArgumentException(name + ": transaction at index " + i + " has id "
                        + transactions.get(i).id());
            }
        }
    }

    public int size() {
        return transactions.size();
    }

    public Transaction transaction(int id) {
        return transactions.get(id);
    }

    /** An empty schedule to build on; appending transactions updates the makespan incrementally. */
    public Schedule newSchedule() {
        return new Schedule();
    }

    /** Makespan of running these transaction ids in this order (any prefix of a schedule). */
    public int makespan(int... order) {
        Schedule schedule = new Schedule();
        for (int id : order) {
            if (id < 0 || id >= transactions.size()) {
                throw new IllegalArgumentException("transaction id " + id + " is not in 0.." + (transactions.size() - 1));
            }
            schedule.append(transactions.get(id));
        }
        return schedule.makespan();
    }
}
