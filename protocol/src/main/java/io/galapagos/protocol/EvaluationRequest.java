package io.galapagos.protocol;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One evaluation a worker runs: a candidate's source on a cascade of splits.
 *
 * @param evaluationId  unique per evaluation; the key of every duplicate check on the way
 * @param candidateId   the candidate; {@code <run>/<island>/<sequence>}
 * @param islandId      where the result goes (through sharding, never a captured reference)
 * @param cascade       split names in order ({@code SMOKE}, {@code TRAIN}, {@code TEST}); a failing split stops it
 * @param dataDirectory the published data root, or empty for the task's seeded synthetic workloads
 * @param dataSeed      seed of the synthetic workloads
 * @param purpose       selection (the cascade that ranks candidates), a repeat of it (a stochastic task's would-be
 *                      best, evaluated again) or the held-out test of an island best
 */
public record EvaluationRequest(String evaluationId, String candidateId, String islandId, String taskId,
                                String source, Optional<String> parentSource, List<String> cascade,
                                Optional<String> dataDirectory, long dataSeed, Purpose purpose)
        implements CborSerializable {

    public enum Purpose { SELECTION, HELD_OUT_TEST, REPEAT }

    private static final String REPEAT_MARK = "#repeat-";

    public EvaluationRequest {
        Objects.requireNonNull(evaluationId, "evaluationId");
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(islandId, "islandId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(parentSource, "parentSource");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(purpose, "purpose");
        cascade = List.copyOf(cascade);
        if (cascade.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one split");
        }
    }

    /** The evaluation id of a candidate for a purpose: one selection and at most one test per candidate. */
    public static String evaluationId(String candidateId, Purpose purpose) {
        return purpose == Purpose.SELECTION ? candidateId : candidateId + "#test";
    }

    /** The evaluation id of re-evaluation {@code repeat} (1, 2, ...) of a candidate's selection cascade. */
    public static String repeatId(String candidateId, int repeat) {
        return candidateId + REPEAT_MARK + repeat;
    }

    /** Which re-evaluation an evaluation id of purpose {@code REPEAT} names; empty for any other id. */
    public static java.util.OptionalInt repeatOf(String evaluationId) {
        int at = evaluationId.lastIndexOf(REPEAT_MARK);
        if (at < 0) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseInt(evaluationId.substring(at + REPEAT_MARK.length())));
        } catch (NumberFormatException e) {
            return java.util.OptionalInt.empty();
        }
    }
}
