package io.galapagos.simulators.cantbelate;

import io.galapagos.simulators.Task;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;

/** Compiles candidate sources the way the sandbox does, from the task's shipped resources or a test's text. */
final class ShippedCandidates {

    private static final CandidateCompiler COMPILER = new CandidateCompiler();

    private ShippedCandidates() {
    }

    static <C> CompiledCandidate<C> baseline(Task<C> task, String name) {
        String source = task.baseline(name).orElseThrow(() -> new AssertionError("no baseline " + name)).source();
        return compile(source, task.candidateType());
    }

    static <C> CompiledCandidate<C> compile(String source, Class<C> type) {
        try {
            return COMPILER.compile(source, type);
        } catch (CompilationException e) {
            throw new AssertionError("candidate does not compile:\n" + e.getMessage(), e);
        }
    }
}
