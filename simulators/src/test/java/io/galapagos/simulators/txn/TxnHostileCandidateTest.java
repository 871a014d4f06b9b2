package io.galapagos.simulators.txn;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What an online scheduler can reach from its window, and what a scheduler can change. */
class TxnHostileCandidateTest {

    private static final Evaluator<OnlineScheduler> ONLINE = new TxnOnlineTask().evaluator(DataSource.synthetic());

    @Test
    void theWindowHoldsOneStepsValuesAndNeitherTheWorkloadNorTheSimulation() throws Exception {
        List<ArrivalWindow> seen = new ArrayList<>();
        EvaluationReport report = ONLINE.evaluate(() -> window -> {
            seen.add(window);
            return window.window().get(0).id();
        }, Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        ArrivalWindow first = seen.get(0);
        assertThat(publicMethods(first.getClass())).isEqualTo(publicMethods(ArrivalWindow.class));
        for (Field field : first.getClass().getDeclaredFields()) {
            assertThat(field.getType()).as(field.getName()).isIn(List.class, int.class, Schedule.class);
            field.setAccessible(true);
            Object value = field.get(first);
            if (value instanceof List<?> list) {
                // the arrivals of one step, never the transactions still to come
                assertThat(list.size()).isLessThanOrEqualTo(first.capacity());
            }
        }
        assertThat(seen).doesNotHaveDuplicates();
    }

    @Test
    void aScheduleCopyAppendedToDoesNotChangeTheScore() {
        EvaluationReport fifo = ONLINE.evaluate(() -> window -> window.window().get(0).id(), Split.TRAIN);
        EvaluationReport meddling = ONLINE.evaluate(() -> window -> {
            Schedule copy = window.scheduleCopy();
            window.window().forEach(copy::append);
            return window.window().get(0).id();
        }, Split.TRAIN);

        assertThat(meddling.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(meddling.score()).isEqualTo(fifo.score());
    }

    private static Set<String> publicMethods(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())) {
                names.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        return names;
    }
}
