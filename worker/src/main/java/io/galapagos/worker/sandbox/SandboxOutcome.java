package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sandbox says about one request.
 *
 * @param status        {@code OK} or the failure, see {@link EvaluationStatus}
 * @param score         higher is better; {@link Double#NEGATIVE_INFINITY} unless the status is {@code OK}
 * @param metrics       the task's metrics of the last split evaluated
 * @param feedback      what went wrong and where, in words a model can act on
 * @param runs          one entry per simulation run of the last split (only when details were asked for)
 * @param split         the last split evaluated (the one that failed, when one did)
 * @param isolation     the isolation the evaluation ran under: {@code bwrap (...)}, or {@code none (...)}
 * @param elapsedMillis wall-clock time in the sandbox, without the time spent waiting for a free slot
 * @param phases        where the time went, for {@code galapagos bench engine --breakdown}
 */
public record SandboxOutcome(
        EvaluationStatus status,
        double score,
        Map<String, Double> metrics,
        String feedback,
        List<Map<String, Object>> runs,
        Split split,
        String isolation,
        long elapsedMillis,
        SandboxPhases phases) {

    public SandboxOutcome {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        runs = List.copyOf(runs);
        java.util.Objects.requireNonNull(phases, "phases");
    }

    /** An outcome whose phases nobody timed. */
    public SandboxOutcome(EvaluationStatus status, double score, Map<String, Double> metrics, String feedback,
                          List<Map<String, Object>> runs, Split split, String isolation, long elapsedMillis) {
        this(status, score, metrics, feedback, runs, split, isolation, elapsedMillis, SandboxPhases.NONE);
    }

    public SandboxOutcome withPhases(SandboxPhases timed) {
        return new SandboxOutcome(status, score, metrics, feedback, runs, split, isolation, elapsedMillis, timed);
    }

    static SandboxOutcome failure(EvaluationStatus status, String feedback, Split split, String isolation,
                                  long elapsedMillis) {
        return new SandboxOutcome(status, Double.NEGATIVE_INFINITY, Map.of(), feedback, List.of(), split, isolation,
                elapsedMillis);
    }

    public boolean succeeded() {
        return status.succeeded();
    }
}
