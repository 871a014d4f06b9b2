package io.galapagos.protocol;

/** Outcome of evaluating one candidate; each failure carries a message a model can act on. */
public enum EvaluationStatus {
    /** Evaluated on every run of the split; the score is meaningful. */
    OK,
    /** The candidate does not compile; the message holds the diagnostics with line numbers. */
    COMPILE_ERROR,
    /** The static check refused the source before anything ran; the message names line and rule. */
    REJECTED,
    /** The candidate threw, or returned an illegal value, during a run. */
    RUNTIME_ERROR,
    /** The evaluation ran past its wall-clock deadline and was killed. */
    TIMEOUT,
    /** The candidate exhausted the heap of its sandbox. */
    MEMORY_EXCEEDED,
    /** The candidate's output broke a constraint of the task (not a full permutation, memory limit, ...). */
    CONSTRAINT_VIOLATION,
    /** The sandbox died or failed for a reason the candidate may or may not have caused. */
    SANDBOX_CRASH;

    public boolean succeeded() {
        return this == OK;
    }
}
