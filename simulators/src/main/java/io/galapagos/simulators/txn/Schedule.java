package io.galapagos.simulators.txn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The makespan model of Cheng et al. (VLDB'24) as the ADRS evaluator implements it: transactions run
 * in sequence order, each starts as early as its conflicts with earlier transactions allow, and the
 * makespan is the end of the last one. Appending is incremental, so a greedy scheduler pays only for
 * the operations of the transaction it tries.
 */
public final class Schedule {

    /** A point lock on a key: an operation of the transaction at {@code sequencePosition} at {@code time}. */
    private record Lock(boolean write, int time, int sequencePosition) {
    }

    private final Map<Integer, List<Lock>> locks;
    private final List<Integer> order;
    private final Set<Integer> scheduled;
    private int makespan;

    public Schedule() {
        this(new HashMap<>(), new ArrayList<>(), new HashSet<>(), 0);
    }

    private Schedule(Map<Integer, List<Lock>> locks, List<Integer> order, Set<Integer> scheduled, int makespan) {
        this.locks = locks;
        this.order = order;
        this.scheduled = scheduled;
        this.makespan = makespan;
    }

    /** An independent copy, e.g. to look ahead. */
    public Schedule copy() {
        Map<Integer, List<Lock>> copied = new HashMap<>(locks.size() * 2);
        locks.forEach((key, list) -> copied.put(key, new ArrayList<>(list)));
        return new Schedule(copied, new ArrayList<>(order), new HashSet<>(scheduled), makespan);
    }

    /** Makespan of the transactions appended so far. */
    public int makespan() {
        return makespan;
    }

    /** Number of transactions appended so far. */
    public int size() {
        return order.size();
    }

    /** Ids of the appended transactions, in order. */
    public List<Integer> order() {
        return Collections.unmodifiableList(order);
    }

    public boolean contains(int transactionId) {
        return scheduled.contains(transactionId);
    }

    /** The makespan this schedule would have with {@code t} appended; the schedule does not change. */
    public int makespanIfAppended(Transaction t) {
        int end = end(t, start(t));
        return end > makespan ? end : makespan;
    }

    /** Appends {@code t}; returns the new makespan. A transaction id can be appended only once. */
    public int append(Transaction t) {
        if (!scheduled.add(t.id())) {
            throw new IllegalArgumentException("transaction " + t.id() + " is already scheduled");
        }
        int position = order.size();
        int start = start(t);
        int end = end(t, start);
        if (end > makespan) {
            makespan = end;
        }
        for (Operation op : t.operations()) {
            int time = start + op.position() - 1;
            Lock lock = new Lock(op.write(), time, position);
            List<Lock> list = locks.get(op.key());
            if (list == null) {
                list = new ArrayList<>(4);
                list.add(lock);
                locks.put(op.key(), list);
            } else {
                insert(list, lock);
            }
        }
        order.add(t.id());
        return makespan;
    }

    private static int end(Transaction t, int start) {
        // a transaction without operations ends at 0, as in the original model
        int length = t.operations().isEmpty() ? 0 : t.length();
        return start + length - 1;
    }

    private int start(Transaction t) {
        int position = order.size();
        int start = 1;
        for (Operation op : t.operations()) {
            List<Lock> list = locks.get(op.key());
            if (list == null) {
                continue;
            }
            Lock last = list.get(list.size() - 1);
            int keyStart = last.write() || op.write() ? last.time() + 1 : earliestRead(list, position);
            start = Math.max(start, keyStart - op.position() + 1);
        }
        return start;
    }

    /** Earliest time a read can take the key: right after the last write before the trailing reads. */
    private static int earliestRead(List<Lock> list, int position) {
        Lock last = list.get(list.size() - 1);
        if (last.sequencePosition() == position) {
            return last.time();
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).write()) {
                return list.get(i).time() + 1;
            }
        }
        return 0;
    }

    private static void insert(List<Lock> list, Lock lock) {
        for (int j = list.size() - 1; j >= 0; j--) {
            if (list.get(j).time() <= lock.time()) {
                list.add(j + 1, lock);
                return;
            }
        }
        Lock first = list.get(0);
        if (lock.time() < first.time()) {
            list.add(0, lock);
        } else {
            list.add(lock);
        }
    }
}
