package io.galapagos.simulators.txn;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Transaction scheduling, online: transactions arrive in workload order into a window of the next
 * {@code capacity} arrivals; each step appends one waiting transaction and nothing scheduled moves.
 */
public final class TxnOnlineTask implements Task<OnlineScheduler> {

    public static final String ID = "txn-online";
    public static final int DEFAULT_WINDOW = 10;

    private final int capacity;

    public TxnOnlineTask() {
        this(DEFAULT_WINDOW);
    }

    public TxnOnlineTask(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the arrival window holds at least one transaction: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Transaction scheduling (online)";
    }

    @Override
    public String summary() {
        return "Pick the next transaction from a window of " + capacity + " arrivals to minimise the makespan (VLDB'24 online setting)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(TxnOnlineTask.class, "online-problem.md").replace("{{window}}", String.valueOf(capacity));
    }

    @Override
    public String candidateApi() {
        return Resources.text(TxnOnlineTask.class, "online-api.java.txt");
    }

    @Override
    public Class<OnlineScheduler> candidateType() {
        return OnlineScheduler.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(
                new Baseline(Baseline.INITIAL, "the ADRS seed on the window: random first pick, then the cheapest of up to 10 window transactions drawn at random (SplitMix64 seed 0)",
                        Resources.text(TxnOnlineTask.class, "online-initial.java")),
                new Baseline("identity", "first come, first served: always the oldest arrival",
                        Resources.text(TxnOnlineTask.class, "online-identity.java")),
                new Baseline("smf", "shortest-makespan-first over the window (Cheng et al., VLDB'24), oldest arrival on ties",
                        Resources.text(TxnOnlineTask.class, "online-smf.java")));
    }

    @Override
    public String featureMetric() {
        return "makespan";
    }

    @Override
    public Evaluator<OnlineScheduler> evaluator(DataSource source) {
        return new TxnEvaluator<>(source, TxnWorkloads.load(source), this::simulate);
    }

    int[] simulate(OnlineScheduler scheduler, Workload workload) throws ScheduleViolation {
        Arrivals arrivals = new Arrivals(workload, capacity);
        for (int step = 0; step < workload.size(); step++) {
            int pick = scheduler.next(arrivals.view());
            arrivals.append(step, pick);
        }
        return arrivals.order();
    }

    /**
     * The evaluator's side of the window: the whole workload, what has arrived and the schedule. The
     * candidate sees only a {@link WindowView} of one step, which holds no reference to this object or
     * to the workload, so not even reflection shows the transactions that have not arrived yet.
     */
    private static final class Arrivals {
        private final Workload workload;
        private final int capacity;
        private final Schedule schedule = new Schedule();
        private final List<Transaction> waiting = new ArrayList<>();
        private final int[] order;
        private int arrived;

        Arrivals(Workload workload, int capacity) {
            this.workload = workload;
            this.capacity = capacity;
            this.order = new int[workload.size()];
            refill();
        }

        private void refill() {
            while (waiting.size() < capacity && arrived < workload.size()) {
                waiting.add(workload.transaction(arrived++));
            }
        }

        WindowView view() {
            return new WindowView(List.copyOf(waiting), capacity, workload.size(), workload.size() - arrived, schedule);
        }

        void append(int step, int pick) throws ScheduleViolation {
            int index = indexOf(waiting, pick);
            if (index < 0) {
                throw new ScheduleViolation("step " + step + ": transaction " + pick + " is not waiting in the window (waiting: "
                        + waiting.stream().map(t -> String.valueOf(t.id())).collect(Collectors.joining(", ")) + ")");
            }
            order[schedule.size()] = pick;
            schedule.append(waiting.remove(index));
            refill();
        }

        int[] order() {
            return order.clone();
        }
    }

    private static int indexOf(List<Transaction> transactions, int id) {
        for (int i = 0; i < transactions.size(); i++) {
            if (transactions.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One step's window: immutable values, plus the schedule so far for the makespan questions. The
     * schedule holds only transactions already scheduled, and is read here, never handed out.
     */
    private static final class WindowView implements ArrivalWindow {
        private final List<Transaction> waiting;
        private final int capacity;
        private final int workloadSize;
        private final int pendingArrivals;
        private final Schedule schedule;

        WindowView(List<Transaction> waiting, int capacity, int workloadSize, int pendingArrivals, Schedule schedule) {
            this.waiting = waiting;
            this.capacity = capacity;
            this.workloadSize = workloadSize;
            this.pendingArrivals = pendingArrivals;
            this.schedule = schedule;
        }

        @Override
        public List<Transaction> window() {
            return waiting;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int workloadSize() {
            return workloadSize;
        }

        @Override
        public int pendingArrivals() {
            return pendingArrivals;
        }

        @Override
        public List<Integer> scheduled() {
            return Collections.unmodifiableList(new ArrayList<>(schedule.order()));
        }

        @Override
        public int makespan() {
            return schedule.makespan();
        }

        @Override
        public int makespanIfAppended(int transactionId) {
            int index = indexOf(waiting, transactionId);
            if (index < 0) {
                throw new IllegalArgumentException("transaction " + transactionId + " is not waiting in the window");
            }
            return schedule.makespanIfAppended(waiting.get(index));
        }

        @Override
        public Schedule scheduleCopy() {
            return schedule.copy();
        }
    }
}
