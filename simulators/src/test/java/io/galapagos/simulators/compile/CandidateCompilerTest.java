package io.galapagos.simulators.compile;

import org.junit.jupiter.api.Test;

import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandidateCompilerTest {

    private final CandidateCompiler compiler = new CandidateCompiler();

    @Test
    void compiledCandidateRunsAndGetsAFreshInstanceEachTime() throws Exception {
        String source = """
                import java.util.function.IntUnaryOperator;

                public class Counter implements IntUnaryOperator {
                    private int calls;

                    @Override
                    public int applyAsInt(int x) {
                        calls++;
                        return x * 10 + calls;
                    }
                }
                """;
        CompiledCandidate<IntUnaryOperator> candidate = compiler.compile(source, IntUnaryOperator.class);

        IntUnaryOperator first = candidate.get();
        assertThat(first.applyAsInt(4)).isEqualTo(41);
        assertThat(first.applyAsInt(4)).isEqualTo(42);
        assertThat(candidate.get().applyAsInt(4)).isEqualTo(41);
        assertThat(candidate.className()).isEqualTo("Counter");
    }

    @Test
    void compileErrorsNameTheLineAndTheCode() {
        String source = """
                import java.util.function.IntUnaryOperator;

                public class Broken implements IntUnaryOperator {
                    @Override
                    public int applyAsInt(int x) {
                        return y + 1;
                    }
                }
                """;
        assertThatThrownBy(() -> compiler.compile(source, IntUnaryOperator.class))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("line 6, column 16")
                .hasMessageContaining("cannot find symbol")
                .hasMessageContaining("return y + 1;")
                .satisfies(e -> assertThat(((CompilationException) e).problems()).hasSize(1));
    }

    @Test
    void classThatDoesNotImplementTheInterfaceIsRefused() {
        String source = "public class Other { public int applyAsInt(int x) { return x; } }";
        assertThatThrownBy(() -> compiler.compile(source, IntUnaryOperator.class))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("must implement IntUnaryOperator");
    }

    @Test
    void classWithoutPublicNoArgumentConstructorIsRefused() {
        String source = """
                import java.util.function.IntUnaryOperator;
                public class Scaled implements IntUnaryOperator {
                    private final int k;
                    public Scaled(int k) { this.k = k; }
                    public int applyAsInt(int x) { return k * x; }
                }
                """;
        assertThatThrownBy(() -> compiler.compile(source, IntUnaryOperator.class))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("public no-argument constructor");
    }

    @Test
    void nestedAndAnonymousClassesOfTheCandidateLoad() throws Exception {
        String source = """
                import java.util.function.IntUnaryOperator;
                public class Nested implements IntUnaryOperator {
                    private static final class Twice { int of(int x) { return 2 * x; } }
                    public int applyAsInt(int x) {
                        IntUnaryOperator inc = new IntUnaryOperator() {
                            public int applyAsInt(int v) { return v + 1; }
                        };
                        return inc.applyAsInt(new Twice().of(x));
                    }
                }
                """;
        assertThat(compiler.compile(source, IntUnaryOperator.class).get().applyAsInt(5)).isEqualTo(11);
    }

    @Test
    void oneCompilerKeepsNothingOfACandidateForTheNext() throws Exception {
        String first = """
                import java.util.function.IntUnaryOperator;
                public class First implements IntUnaryOperator {
                    public int applyAsInt(int x) { return new Helper().of(x); }
                }
                class Helper { int of(int x) { return x + 100; } }
                """;
        String usesTheFirstsHelper = """
                import java.util.function.IntUnaryOperator;
                public class Second implements IntUnaryOperator {
                    public int applyAsInt(int x) { return new Helper().of(x); }
                }
                """;
        String third = """
                import java.util.function.IntUnaryOperator;
                public class Third implements IntUnaryOperator {
                    public int applyAsInt(int x) { return x + 3; }
                }
                """;

        CandidateClasses firstClasses = compiler.compileToBytes(first, IntUnaryOperator.class);
        assertThatThrownBy(() -> compiler.compileToBytes(usesTheFirstsHelper, IntUnaryOperator.class))
                .isInstanceOf(CompilationException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("cannot find symbol");
        CandidateClasses thirdClasses = compiler.compileToBytes(third, IntUnaryOperator.class);

        assertThat(firstClasses.classes()).containsOnlyKeys("First", "Helper");
        assertThat(thirdClasses.classes()).containsOnlyKeys("Third");
        assertThat(CandidateCompiler.load(thirdClasses, IntUnaryOperator.class).get().applyAsInt(1)).isEqualTo(4);
    }

    @Test
    void candidatesAreJava17ClassFilesWhateverTheJdkAndOnlyANewerJdkNeedsRelease() throws Exception {
        CandidateClasses compiled = compiler.compileToBytes("""
                public class Plain implements java.util.function.IntUnaryOperator {
                    public int applyAsInt(int x) { return x + 1; }
                }
                """, IntUnaryOperator.class);
        byte[] bytes = compiled.classes().get("Plain");
        // class-file major version, bytes 6 and 7: 61 is Java 17
        assertThat(((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff)).isEqualTo(61);

        assertThat(CandidateCompiler.options(CandidateCompiler.CANDIDATE_RELEASE)).doesNotContain("--release");
        assertThat(CandidateCompiler.options(21)).containsSequence("--release", "17");
    }
}
