package io.galapagos.simulators;

import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;

/** Compiles shipped baselines and test candidates the way the sandbox does. */
public final class Candidates {

    private static final CandidateCompiler COMPILER = new CandidateCompiler();

    private Candidates() {
    }

    public static <C> CompiledCandidate<C> baseline(Task<C> task, String name) {
        Baseline baseline = task.baseline(name)
                .orElseThrow(() -> new AssertionError(task.id() + " has no baseline " + name));
        return compile(baseline.source(), task.candidateType());
    }

    public static <C> CompiledCandidate<C> compile(String source, Class<C> type) {
        try {
            return COMPILER.compile(source, type);
        } catch (CompilationException e) {
            throw new AssertionError("candidate does not compile:\n" + e.getMessage(), e);
        }
    }
}
