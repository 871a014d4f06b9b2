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
        Window window = new Window(workload, capacity);
        for (int step = 0; step < workload.size(); step++) {
            int pick = scheduler.next(window);
            window.append(step, pick);
        }
        return window.schedule.order().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The evaluator's side of the window: the candidate sees it only through {@link ArrivalWindow}. */
    private static final class Window implements ArrivalWindow {
        private final Workload workload;
        private final int capacity;
        private final Schedule schedule = new Schedule();
        private final List<Transaction> waiting = new ArrayList<>();
        private int arrived;

        Window(Workload workload, int capacity) {
            this.workload = workload;
            this.capacity = capacity;
            refill();
        }

        private void refill() {
            while (waiting.size() < capacity && arrived < workload.size()) {
                waiting.add(workload.transaction(arrived++));
            }
        }

        void append(int step, int pick) throws ScheduleViolation {
            int index = indexOf(pick);
            if (index < 0) {
                throw new ScheduleViolation("step " + step + ": transaction " + pick + " is not waiting in the window (waiting: "
                        + waiting.stream().map(t -> String.valueOf(t.id())).collect(Collectors.joining(", ")) + ")");
            }
            schedule.append(waiting.remove(index));
            refill();
        }

        private int indexOf(int id) {
            for (int i = 0; i < waiting.size(); i++) {
                if (waiting.get(i).id() == id) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public List<Transaction> window() {
            return List.copyOf(waiting);
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int workloadSize() {
            return workload.size();
        }

        @Override
        public int pendingArrivals() {
            return workload.size() - arrived;
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
            int index = indexOf(transactionId);
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
