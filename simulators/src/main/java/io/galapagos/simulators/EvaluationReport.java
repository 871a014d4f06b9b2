package io.galapagos.simulators;

import io.galapagos.protocol.EvaluationStatus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task's evaluation of one candidate on one split says.
 *
 * @param status     {@code OK}, or the failure a simulator detects itself ({@code RUNTIME_ERROR},
 *                   {@code CONSTRAINT_VIOLATION}); the sandbox adds the others
 * @param score      higher is better; {@link Double#NEGATIVE_INFINITY} when the status is not {@code OK}
 * @param metrics    named task metrics in a stable order
 * @param feedback   text for the next prompt: worst scenarios, violated constraints, the failure
 * @param violations constraint violations found while validating the candidate's output
 * @param runs       one entry per simulation run (JSON-ready values), in run order
 */
public record EvaluationReport(
        EvaluationStatus status,
        double score,
        Map<String, Double> metrics,
        String feedback,
        List<String> violations,
        List<Map<String, Object>> runs) {

    public EvaluationReport {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        violations = List.copyOf(violations);
        runs = List.copyOf(runs);
    }

    /** A failed evaluation: no score, the message is the feedback. */
    public static EvaluationReport failure(EvaluationStatus status, String message) {
        return failure(status, message, List.of(), List.of());
    }

    public static EvaluationReport failure(EvaluationStatus status, String message, List<String> violations,
                                           List<Map<String, Object>> runs) {
        if (status.succeeded()) {
            throw new IllegalArgumentException("a failure needs a failing status");
        }
        return new EvaluationReport(status, Double.NEGATIVE_INFINITY, Map.of(), message, violations, runs);
    }

    public boolean succeeded() {
        return status.succeeded();
    }
}
