package io.galapagos.worker.sandbox;

import io.galapagos.simulators.compile.CandidateClasses;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class CompileCacheTest {

    private static final String TASK = "task-a";
    private static final String GOOD = """
            import java.util.function.IntUnaryOperator;
            public class Good implements IntUnaryOperator {
                public int applyAsInt(int x) { return x + 1; }
            }
            """;
    private static final String OTHER = GOOD.replace("x + 1", "x + 2");
    private static final String BROKEN = """
            import java.util.function.IntUnaryOperator;
            public class Broken implements IntUnaryOperator {
                public int applyAsInt(int x) { return y; }
            }
            """;

    private static final CandidateCompiler COMPILER = new CandidateCompiler();
    private final CompileCache cache = new CompileCache(4, "javac options");
    private final List<String> compiled = new ArrayList<>();

    /** What the pool does: the cache first, else a compile whose result is kept. */
    private Compilation compile(String taskId, String source) {
        CompileCache.Key key = cache.key(taskId, source);
        return cache.find(key, taskId, source).orElseGet(() -> {
            compiled.add(source);
            Compilation fresh;
            try {
                fresh = new Compilation.Compiled(COMPILER.compileToBytes(source, IntUnaryOperator.class));
            } catch (CompilationException e) {
                fresh = new Compilation.Failed(e.problems());
            }
            cache.keep(key, taskId, source, fresh);
            return fresh;
        });
    }

    private static int applied(Compilation compilation, int x) throws CompilationException {
        CandidateClasses classes = ((Compilation.Compiled) compilation).classes();
        return CandidateCompiler.load(classes, IntUnaryOperator.class).get().applyAsInt(x);
    }

    @Test
    void theSameSourceIsCompiledOnceAndThenFound() throws Exception {
        Compilation first = compile(TASK, GOOD);
        Compilation second = compile(TASK, GOOD);

        assertThat(compiled).containsExactly(GOOD);
        assertThat(second).isSameAs(first);
        assertThat(applied(second, 1)).isEqualTo(2);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aDifferentSourceNeverGetsAnotherSourcesClassFiles() throws Exception {
        compile(TASK, GOOD);
        Compilation other = compile(TASK, OTHER);
        Compilation sameButOneSpace = compile(TASK, GOOD + " ");

        assertThat(compiled).containsExactly(GOOD, OTHER, GOOD + " ");
        assertThat(applied(other, 1)).isEqualTo(3);
        assertThat(applied(sameButOneSpace, 1)).isEqualTo(2);
        assertThat(cache.hits()).isZero();
    }

    @Test
    void theSameSourceForAnotherTaskIsCompiledAgain() {
        compile(TASK, GOOD);
        compile("task-b", GOOD);

        assertThat(compiled).containsExactly(GOOD, GOOD);
    }

    @Test
    void anEntryFiledUnderAKeyServesOnlyTheSourceItWasMadeFrom() {
        CompileCache.Key key = cache.key(TASK, GOOD);
        cache.keep(key, TASK, GOOD, new Compilation.Compiled(new CandidateClasses("Good", Map.of("Good", new byte[]{1}))));

        // as if another source hashed to the same key: its text differs, so it is a miss
        assertThat(cache.find(key, TASK, OTHER)).isEmpty();
        assertThat(cache.find(key, "task-b", GOOD)).isEmpty();
        assertThat(cache.find(key, TASK, GOOD)).isPresent();
    }

    @Test
    void aCompileErrorIsReportedForItsOwnCandidateOnly() throws Exception {
        Compilation broken = compile(TASK, BROKEN);
        Compilation good = compile(TASK, GOOD);
        Compilation brokenAgain = compile(TASK, BROKEN);

        assertThat(broken).isInstanceOf(Compilation.Failed.class);
        assertThat(((Compilation.Failed) broken).message()).contains("line 3").contains("cannot find symbol")
                .contains("return y;");
        assertThat(applied(good, 1)).isEqualTo(2);
        assertThat(brokenAgain).isSameAs(broken);
        assertThat(compiled).containsExactly(BROKEN, GOOD);
    }

    @Test
    void onlyWhatTheSourceDecidesIsKept() {
        CompileCache.Key key = cache.key(TASK, GOOD);
        cache.keep(key, TASK, GOOD, new Compilation.TimedOut(Duration.ofSeconds(30)));
        cache.keep(key, TASK, GOOD, new Compilation.Unavailable("the compiler died"));
        cache.keep(key, TASK, GOOD, new Compilation.TooDeep());

        assertThat(cache.find(key, TASK, GOOD)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anotherCompilerFingerprintFilesTheSameSourceElsewhere() {
        CompileCache otherJdk = new CompileCache(4, "javac options on another JDK");

        assertThat(otherJdk.key(TASK, GOOD)).isNotEqualTo(cache.key(TASK, GOOD));
        assertThat(cache.key(TASK, GOOD)).isEqualTo(cache.key(TASK, GOOD));
    }

    @Test
    void theLeastRecentlyUsedEntryMakesWayBeyondTheCapacity() {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sources.add(GOOD + "// " + i + "\n");
        }
        sources.forEach(source -> compile(TASK, source));
        compile(TASK, sources.get(4));
        compile(TASK, sources.get(0));

        assertThat(cache.size()).isEqualTo(4);
        assertThat(compiled).hasSize(6).endsWith(sources.get(0));
    }
}
