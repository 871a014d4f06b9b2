package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.testtask.TickerTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Deadlines that fit the task: derived from the initial program's time, not the five-minute ceiling. */
// integration lane: sandbox child JVMs
@Tag("integration")
class SandboxDeadlineTest {

    private static final Duration CEILING = Duration.ofSeconds(90);
    private static final Duration FLOOR = Duration.ofSeconds(2);
    private static final double MULTIPLE = 20;

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxSettings.defaults().withSlots(1).withHeapMegabytes(128)
                .withEvaluationTimeout(CEILING)
                .withDeadlines(new SandboxSettings.Deadlines(true, MULTIPLE, FLOOR, Duration.ofSeconds(30)))
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1")));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static SandboxOutcome evaluate(String source) {
        return pool.evaluate(new SandboxRequest("test", TickerTask.ID, source, Optional.empty(),
                        List.of(Split.SMOKE, Split.TRAIN), DataSource.synthetic(), false))
                .toCompletableFuture().orTimeout(150, TimeUnit.SECONDS).join();
    }

    @Test
    void anEndlessLoopCostsAMultipleOfTheInitialProgramsTimeNotTheCeiling() {
        SandboxOutcome honest = evaluate(TickerTask.INITIAL);
        assertThat(honest.status()).isEqualTo(EvaluationStatus.OK);
        Map<String, Duration> deadlines = pool.calibratedDeadlines(TickerTask.ID, DataSource.synthetic());
        assertThat(deadlines).containsOnlyKeys("smoke", "train");
        // the ticker evaluates in milliseconds, so its deadlines sit at or a little above the floor
        assertThat(deadlines.values()).allSatisfy(d -> assertThat(d).isBetween(FLOOR, CEILING.dividedBy(3)));

        SandboxOutcome spinning = evaluate("""
                import io.galapagos.worker.sandbox.testtask.Ticker;

                public class Spin implements Ticker {
                    public Integer step(int tick) {
                        if (tick == 3) {
                            while (tick > 0) {
                                tick = tick + 2 - 2;
                            }
                        }
                        return 5;
                    }
                }
                """);

        assertThat(spinning.status()).isEqualTo(EvaluationStatus.TIMEOUT);
        Duration smoke = deadlines.get("smoke");
        assertThat(spinning.feedback()).contains("split smoke").contains("Spin.step(Spin.java:");
        assertThat(spinning.feedback()).contains("deadline of " + (smoke.toMillis() % 1000 == 0
                ? smoke.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", smoke.toMillis() / 1000.0)));
        assertThat(evaluate(TickerTask.INITIAL).score()).isEqualTo(honest.score());
    }
}
