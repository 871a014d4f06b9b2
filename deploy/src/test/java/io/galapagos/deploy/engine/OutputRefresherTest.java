package io.galapagos.deploy.engine;

import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class OutputRefresherTest {

    /**
     * A fast run's first refresh after a resume took 84 s, and the next waited ten times that: the outputs
     * stopped following the journal for the rest of the soak.
     */
    @Test
    void aLongRefreshDoesNotPutTheNextOneOffBeyondTheLongestPause() {
        long max = OutputRefresher.MAX_PAUSE.toMillis();
        assertThat(OutputRefresher.nextPause(3_000, 84_000)).isEqualTo(max);
        assertThat(OutputRefresher.nextPause(3_000, Long.MAX_VALUE / 100)).isEqualTo(max);
    }

    @Test
    void aShortRefreshWaitsTenTimesItsWorkButNoLessThanTheCadence() {
        assertThat(OutputRefresher.nextPause(3_000, 0)).isEqualTo(3_000);
        assertThat(OutputRefresher.nextPause(3_000, 200)).isEqualTo(3_000);
        assertThat(OutputRefresher.nextPause(3_000, 500)).isEqualTo(5_000);
    }

    /**
     * A resumed run's first refresh reads its candidate log and its whole journal, which took the cores its
     * islands recover on: nothing of it starts before the run evaluates again. (The history read fails here,
     * with no journal to read: the refresher tries again at its cadence.)
     */
    @Test
    void nothingIsReadBeforeTheRunEvaluatesAgain(@TempDir Path out) throws Exception {
        Path file = out.resolve(CandidateLog.FILE);
        String written = "{\"type\":\"candidate\",\"id\":\"run/0/0\",\"island\":\"run/0\",\"sequence\":0}\n";
        // the last line of a process that was killed mid-write, which opening the log drops
        Files.writeString(file, written + "{\"type\":\"cand", StandardCharsets.UTF_8);
        CompletableFuture<Void> evaluating = new CompletableFuture<>();

        try (OutputRefresher refresher = OutputRefresher.start(null, out, RunTask.of(TaskRegistry.load().require(NoopTask.ID)),
                Duration.ofMillis(10), Duration.ofHours(1), new LifecycleLog.Where("test", Optional.of("run"), Optional.empty()), evaluating)) {
            assertThat(refresher.logOpened()).isFalse();

            evaluating.complete(null);

            await().atMost(Duration.ofSeconds(20)).until(refresher::logOpened);
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(written);
        }
    }
}
