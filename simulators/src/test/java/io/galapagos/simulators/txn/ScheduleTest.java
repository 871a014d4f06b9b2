package io.galapagos.simulators.txn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {

    private static Workload workload(String... texts) {
        List<Transaction> txns = new java.util.ArrayList<>();
        for (String text : texts) {
            txns.add(Transaction.parse(txns.size(), text));
        }
        return new Workload("test", txns);
    }

    @Test
    void parsingCountsPlaceholdersInTheLengthAndPositions() {
        Transaction t = Transaction.parse(3, "r-4 * * w-6");
        assertThat(t.length()).isEqualTo(4);
        assertThat(t.operations()).containsExactly(new Operation(false, 4, 1), new Operation(true, 6, 4));
        assertThat(t.text()).isEqualTo("r-4 * * w-6");
    }

    @Test
    void malformedTokensAreRefused() {
        assertThatThrownBy(() -> Transaction.parse(0, "r-1 x-2")).hasMessageContaining("x-2");
        assertThatThrownBy(() -> Transaction.parse(0, "r-a")).hasMessageContaining("not an integer");
    }

    @Test
    void writesOnTheSameKeyRunOneAfterTheOther() {
        Workload w = workload("w-1 * *", "w-1 * *");
        // the second write of key 1 waits until time 2, so the transaction runs 2..4
        assertThat(w.makespan(0, 1)).isEqualTo(4);
    }

    @Test
    void readsShareAKey() {
        Workload w = workload("r-1 * *", "r-1 * *");
        assertThat(w.makespan(0, 1)).isEqualTo(3);
    }

    @Test
    void aReadAfterAWriteWaitsForIt() {
        Workload w = workload("* * w-1", "r-1 *");
        // the write holds key 1 at time 3, so the read runs at 4 and the transaction ends at 5
        assertThat(w.makespan(0, 1)).isEqualTo(5);
        // the other way round, the write at its third step (time 3) is already after the read at time 1
        assertThat(w.makespan(1, 0)).isEqualTo(3);
    }

    @Test
    void transactionWithoutOperationsAddsNothing() {
        Workload w = workload("* * *", "w-1 *");
        assertThat(w.makespan(0)).isZero();
        assertThat(w.makespan(0, 1)).isEqualTo(2);
    }

    @Test
    void incrementalCostEqualsTheMakespanOfTheLongerPrefix() {
        Workload w = new WorkloadGenerator().generate(7, 40, "").get(0);
        Schedule schedule = w.newSchedule();
        int[] prefix = new int[0];
        for (int id = 39; id >= 0; id -= 3) {
            int[] longer = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            longer[prefix.length] = id;
            assertThat(schedule.makespanIfAppended(w.transaction(id))).isEqualTo(w.makespan(longer));
            schedule.append(w.transaction(id));
            prefix = longer;
        }
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        Workload w = workload("w-1 * *", "w-1 * *", "r-2");
        Schedule schedule = w.newSchedule();
        schedule.append(w.transaction(0));
        Schedule copy = schedule.copy();
        copy.append(w.transaction(1));
        assertThat(copy.makespan()).isEqualTo(4);
        assertThat(schedule.makespan()).isEqualTo(3);
        assertThat(schedule.order()).containsExactly(0);
        assertThat(schedule.makespanIfAppended(w.transaction(1))).isEqualTo(4);
    }

    @Test
    void aTransactionCanBeAppendedOnlyOnce() {
        Workload w = workload("w-1", "r-1");
        Schedule schedule = w.newSchedule();
        schedule.append(w.transaction(0));
        assertThatThrownBy(() -> schedule.append(w.transaction(0))).hasMessageContaining("already scheduled");
    }
}
