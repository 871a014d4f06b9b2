package io.galapagos.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a worker reports for one {@link EvaluationRequest}.
 *
 * @param score         higher is better; {@link Double#NEGATIVE_INFINITY} unless the status is {@code OK}
 * @param split         the last split that ran (the one the score and metrics belong to)
 * @param elapsedMillis time the evaluation took on the worker
 * @param worker        who evaluated it, for logs and history
 * @param isolation     the jail the candidate ran in ({@code bwrap}, or {@code none (...)} when the worker runs
 *                      candidates unjailed); empty when no sandbox ran it (a dispatcher's verdict)
 */
public record EvaluationResult(String evaluationId, String candidateId, String islandId,
                               EvaluationRequest.Purpose purpose, EvaluationStatus status, double score,
                               Map<String, Double> metrics, String feedback, String split, long elapsedMillis,
                               String worker, Optional<String> isolation) implements CborSerializable {

    public EvaluationResult {
        Objects.requireNonNull(evaluationId, "evaluationId");
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(islandId, "islandId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(isolation, "isolation");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A result without a score: the evaluation failed with {@code status}; the message is the feedback. */
    public static EvaluationResult failure(EvaluationRequest request, EvaluationStatus status, String message,
                                           long elapsedMillis, String worker) {
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(),
                request.purpose(), status, Double.NEGATIVE_INFINITY, Map.of(), message,
                request.cascade().get(0), elapsedMillis, worker, Optional.empty());
    }

    public boolean succeeded() {
        return status.succeeded();
    }
}
