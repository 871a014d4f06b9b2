package io.galapagos.deploy;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded sample of the offline engine's children per built-in task, checked, compiled and run on the
 * SMOKE split as the sandbox would: at most a fifth may fail. The sample and every choice come from the
 * seed, so the rate is the same on every machine.
 */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
class MutationFailureRateTest {

    private static final int CHILDREN = 40;
    private static final long SEED = 20251130L;

    static List<String> tasks() {
        // the built-in tasks only: the test class path adds tasks of its own (hostile probes, a ticker)
        return TaskRegistry.load().all().stream().filter(t -> t.getClass().getName().startsWith("io.galapagos.simulators."))
                .map(Task::id).toList();
    }

    @ParameterizedTest
    @MethodSource("tasks")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void atMostAFifthOfTheOfflineEnginesChildrenFail(String taskId) {
        Task<?> task = TaskRegistry.load().require(taskId);
        MutationBench bench = new MutationBench(MutationBench.inProcess(DataSource.synthetic(), List.of(Split.SMOKE),
                Duration.ofSeconds(30), 64 * 1024));

        MutationBench.Tally tally = bench.run(task, CHILDREN, SEED);

        assertThat(tally.failureRate()).as("%s: %s; first failures: %s", taskId, tally.counts(), tally.examples())
                .isLessThanOrEqualTo(0.2);
        assertThat(tally.count(MutationBench.Outcome.OK)).as("%s: %s", taskId, tally.counts())
                .isGreaterThanOrEqualTo(CHILDREN / 2);
    }
}
