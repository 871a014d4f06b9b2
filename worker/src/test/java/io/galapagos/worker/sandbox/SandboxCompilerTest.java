package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.sandbox.testtask.TickerTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's warm compiler JVM and its cache, seen through the pool's outcomes. */
// integration lane: the compiler and the sandbox children are jailed JVMs
@Tag("integration")
class SandboxCompilerTest {

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxSettings.defaults().withSlots(1).withHeapMegabytes(128)
                .withEvaluationTimeout(Duration.ofSeconds(30))
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1")));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static String tickerSource(String name, String value) {
        return "import io.galapagos.worker.sandbox.testtask.Ticker;\n\npublic class " + name
                + " implements Ticker {\n    public Integer step(int tick) {\n        return " + value + ";\n    }\n}\n";
    }

    private static SandboxOutcome ticker(String name, String value) {
        String source = tickerSource(name, value);
        return pool.evaluate(new SandboxRequest("test", TickerTask.ID, source, Optional.empty(), List.of(Split.SMOKE),
                        DataSource.synthetic(), false))
                .toCompletableFuture().orTimeout(120, TimeUnit.SECONDS).join();
    }

    @Test
    void aSourceSeenBeforeIsNotCompiledAgainAndScoresTheSame() {
        SandboxOutcome first = ticker("Twice", "1");
        long misses = pool.compileCacheMisses();
        long hits = pool.compileCacheHits();

        SandboxOutcome again = ticker("Twice", "1");

        assertThat(first.status()).as(first.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(again.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(again.score()).isEqualTo(first.score());
        assertThat(pool.compileCacheHits()).isEqualTo(hits + 1);
        assertThat(pool.compileCacheMisses()).isEqualTo(misses);
    }

    @Test
    void eachCandidateGetsItsOwnCompileErrorsFromTheWarmCompiler() {
        SandboxOutcome missing = ticker("MissingSymbol", "undefinedName");
        SandboxOutcome good = ticker("Fine", "1");
        SandboxOutcome wrongType = ticker("WrongType", "\"text\"");

        assertThat(missing.status()).isEqualTo(EvaluationStatus.COMPILE_ERROR);
        assertThat(missing.feedback()).contains("line 5").contains("cannot find symbol").contains("undefinedName")
                .doesNotContain("text");
        assertThat(good.status()).as(good.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(wrongType.status()).isEqualTo(EvaluationStatus.COMPILE_ERROR);
        assertThat(wrongType.feedback()).contains("line 5").contains("incompatible types")
                .doesNotContain("undefinedName");
    }

    @Test
    void aSourceThatOverflowsTheCompilersStackDoesNotStopTheNextOne() {
        SandboxSettings settings = SandboxSettings.defaults().withHeapMegabytes(128);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Task<?> task = TaskRegistry.load().require(TickerTask.ID);
        try (SandboxCompiler compiler = new SandboxCompiler(settings, Jail.probe(settings.jail()), 1, timer)) {
            // the static check would stop this source before the pool compiles it; the compiler must cope alone
            String deep = tickerSource("Deep", "(".repeat(20_000) + "1" + ")".repeat(20_000));

            Compilation tooDeep = compiler.compile(task, deep);
            Compilation next = compiler.compile(task, tickerSource("AfterDeep", "1"));

            // javac catches most of its own stack overflows and fails the compilation; the rest end its JVM
            assertThat(tooDeep).isInstanceOfAny(Compilation.TooDeep.class, Compilation.Failed.class);
            assertThat(next).isInstanceOf(Compilation.Compiled.class);
            assertThat(((Compilation.Compiled) next).classes().publicClass()).isEqualTo("AfterDeep");
            assertThat(((Compilation.Compiled) next).classes().classes()).containsOnlyKeys("AfterDeep");
        } finally {
            timer.shutdownNow();
        }
    }
}
