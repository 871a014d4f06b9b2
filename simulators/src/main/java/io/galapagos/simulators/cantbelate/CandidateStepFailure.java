package io.galapagos.simulators.cantbelate;

import io.galapagos.simulators.CandidateFailures;

/** The candidate threw or returned an illegal value at a tick; the evaluator names the run. */
final class CandidateStepFailure extends Exception {

    private final long tick;

    CandidateStepFailure(long tick, String problem) {
        super(problem, null, false, false);
        this.tick = tick;
    }

    long tick() {
        return tick;
    }

    /** What a candidate threw; errors of the JVM itself escape, except a stack overflow (a candidate bug). */
    static CandidateStepFailure thrown(long tick, Throwable failure) {
        if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
            throw (VirtualMachineError) failure;
        }
        return new CandidateStepFailure(tick, "step threw " + CandidateFailures.describe(failure));
    }
}
