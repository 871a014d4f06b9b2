package io.galapagos.worker;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;

import java.util.concurrent.CompletionStage;

/**
 * What an {@link EvaluationWorker} evaluates with: the sandbox pool in production, fakes in tests.
 * A stage that never completes is a hung slot; the dispatcher's job deadline covers it.
 */
public interface CandidateEvaluator extends AutoCloseable {

    /** Evaluates the request; failures of the candidate are results with a failing status, not exceptions. */
    CompletionStage<EvaluationResult> evaluate(EvaluationRequest request);

    /** How many evaluations may run at once. */
    int slots();

    /** One word for reports: how candidates are isolated ({@code in-process}, {@code child-jvm}, ...). */
    String isolation();

    /** Sandbox children started in place of one that served its share, crashed or was killed (0: no children). */
    default long sandboxRestarts() {
        return 0;
    }

    @Override
    default void close() {
    }
}
