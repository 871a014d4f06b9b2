package io.galapagos.worker.sandbox;

import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.noop.NoopCandidate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StaticStateTest {

    private static final CandidateCompiler COMPILER = new CandidateCompiler();

    private static boolean hasStaticState(String members) throws CompilationException {
        return StaticState.declaredBy(COMPILER.compileToBytes("public class C implements "
                + "io.galapagos.simulators.noop.NoopCandidate {\n" + members
                + "\n    public double value() { return 1; }\n}\n", NoopCandidate.class));
    }

    @Test
    void constantsLambdasAndAssertionsHoldNoState() throws CompilationException {
        assertThat(hasStaticState("""
                    private static final double TARGET = 3.5;
                    private static final String NAME = "c";
                    private static final long STARTED = System.nanoTime();
                    private final java.util.List<Integer> perRun = new java.util.ArrayList<>();
                    private double twice(double x) { assert x >= 0; java.util.function.DoubleUnaryOperator f = v -> v * 2; return f.applyAsDouble(x); }
                """)).isFalse();
    }

    @Test
    void mutableStaticFieldsAreState() throws CompilationException {
        assertThat(hasStaticState("    private static int runs;")).isTrue();
        assertThat(hasStaticState("    private static final int[] MEMO = new int[4];")).isTrue();
        assertThat(hasStaticState("    private static final java.util.Map<String, Integer> SEEN = new java.util.HashMap<>();"))
                .isTrue();
    }

    @Test
    void staticStateInANestedClassOrAnEnumConstantCounts() throws CompilationException {
        assertThat(hasStaticState("    private static final class Memory { static long total; }")).isTrue();
        assertThat(hasStaticState("    private enum Mode { ON; int uses; }")).isTrue();
    }
}
