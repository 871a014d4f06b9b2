package io.galapagos.simulators;

import java.util.function.Supplier;

/**
 * A task with its workloads loaded: evaluates candidates on a split. Loading is done once, so that a
 * sandbox child can evaluate many candidates without reading or generating the workloads again.
 * Implementations are immutable and safe to share between threads.
 *
 * @param <C> the candidate interface
 */
public interface Evaluator<C> {

    /**
     * Runs every simulation of the split. {@code candidates} makes a fresh instance per run, so a
     * candidate may keep state in fields. Exceptions and illegal outputs of the candidate are caught
     * and reported ({@code RUNTIME_ERROR}, {@code CONSTRAINT_VIOLATION}) with the run and the step
     * where they happened; only {@link VirtualMachineError}s escape.
     */
    EvaluationReport evaluate(Supplier<? extends C> candidates, Split split);

    /** Number of simulation runs in the split. */
    int runCount(Split split);

    /** Where the workloads came from, for reports. */
    DataSource dataSource();
}
