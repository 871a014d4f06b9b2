package io.galapagos.controller.island;

import io.galapagos.controller.generation.PromptPlan;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.protocol.CborSerializable;
import io.galapagos.protocol.EvaluationStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an island's prompts learn from its history, applied in sequence order like the rest of its state:
 * the children that beat their parent and those that failed, for the summary of what worked, and the
 * failed children that a fix prompt may repair.
 *
 * @param children         children evaluated whose parent's score the island knew
 * @param improved         of them, those that scored above their parent
 * @param improvements     the latest improvements, newest last
 * @param proposalFailures proposals that gave no candidate, by kind ({@link Island.ProposalFailed#kind()})
 * @param broken           the latest children that failed their evaluation, newest last, not fixed yet
 */
public record Lessons(long children, long improved, List<PromptPlan.Improvement> improvements,
                      Map<Island.ProposalFailed.Kind, Long> proposalFailures, List<Broken> broken) implements CborSerializable {

    /** Improvements the summary shows, and failure reasons. */
    static final int SHOWN = 5;

    static final Lessons NONE = new Lessons(0, 0, List.of(), Map.of(), List.of());

    public Lessons {
        improvements = improvements == null ? List.of() : List.copyOf(improvements);
        proposalFailures = proposalFailures == null ? Map.of() : Map.copyOf(proposalFailures);
        broken = broken == null ? List.of() : List.copyOf(broken);
    }

    /** A child of {@code parentId} that failed its evaluation. */
    public record Broken(String parentId, PromptPlan.FailedChild child) implements CborSerializable {
    }

    /**
     * What made a candidate, kept while it waits for its evaluation.
     *
     * @param variant     empty for the seed, offline and tuned children
     * @param parentScore the parent's score as its proposal showed it
     */
    public record Origin(String generator, String summary, Optional<PromptVariant> variant, Optional<Double> parentScore)
            implements CborSerializable {

        public Origin {
            variant = variant == null ? Optional.empty() : variant;
            parentScore = parentScore == null ? Optional.empty() : parentScore;
        }
    }

    /** Learns from an applied evaluation of {@code candidateId}; {@code keepBroken} failed children are kept. */
    Lessons evaluated(String candidateId, Island.Pending candidate, Island.CandidateEvaluated e, int keepBroken) {
        if (candidate.origin().isEmpty() || candidate.parentId().isEmpty()) {
            return this;
        }
        Origin origin = candidate.origin().get();
        if (!e.status().succeeded()) {
            List<Broken> next = new ArrayList<>(broken);
            next.add(new Broken(candidate.parentId().get(), new PromptPlan.FailedChild(candidateId, candidate.code(),
                    e.status() + ": " + e.feedback())));
            while (next.size() > keepBroken) {
                next.remove(0);
            }
            return new Lessons(children + (origin.parentScore().isPresent() ? 1 : 0), improved, improvements,
                    proposalFailures, next);
        }
        if (origin.parentScore().isEmpty()) {
            return this;
        }
        double gain = e.score() - origin.parentScore().get();
        if (!(gain > 0)) {
            return new Lessons(children + 1, improved, improvements, proposalFailures, broken);
        }
        List<PromptPlan.Improvement> next = new ArrayList<>(improvements);
        next.add(new PromptPlan.Improvement(candidateId, origin.variant(),
                origin.generator(), gain, origin.summary()));
        while (next.size() > SHOWN) {
            next.remove(0);
        }
        return new Lessons(children + 1, improved + 1, next, proposalFailures, broken);
    }

    /** Learns from a proposal that gave no candidate; a call that failed teaches nothing about prompts. */
    Lessons proposalFailed(Island.ProposalFailed e) {
        if (e.callFailed()) {
            return this;
        }
        Map<Island.ProposalFailed.Kind, Long> next = new LinkedHashMap<>(proposalFailures);
        next.merge(e.kind(), 1L, Long::sum);
        return new Lessons(children, improved, improvements, next, broken);
    }

    /** The newest failed child whose parent is still in the population: the one a fix prompt repairs. */
    Optional<Broken> toFix(Population population) {
        for (int i = broken.size() - 1; i >= 0; i--) {
            if (population.members().containsKey(broken.get(i).parentId())) {
                return Optional.of(broken.get(i));
            }
        }
        return Optional.empty();
    }

    /** Once a fix of {@code childId} was asked for, it is not offered again. */
    Lessons fixing(String childId) {
        List<Broken> next = new ArrayList<>(broken);
        next.removeIf(b -> b.child().candidateId().equals(childId));
        return new Lessons(children, improved, improvements, proposalFailures, next);
    }

    /** The summary section's content, with the island's failed evaluations by status. */
    PromptPlan.SearchSummary summary(Map<String, Long> evaluationFailures) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        evaluationFailures.forEach((status, count) -> reasons.put(statusReason(status), count));
        proposalFailures.forEach((kind, count) -> reasons.merge(kindReason(kind), count, Long::sum));
        List<PromptPlan.FailureCount> common = reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(SHOWN).map(r -> new PromptPlan.FailureCount(r.getKey(), r.getValue())).toList();
        return new PromptPlan.SearchSummary(children, improved, improvements, common);
    }

    /** {@code COMPILE_ERROR} (an {@link EvaluationStatus} name) reads "evaluation compile error". */
    private static String statusReason(String status) {
        return "evaluation " + status.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String kindReason(Island.ProposalFailed.Kind kind) {
        return switch (kind) {
            case DUPLICATE -> "proposal repeated an earlier program";
            case NEAR_DUPLICATE -> "proposal nearly repeated an earlier program";
            case ANSWER -> "answer gave no usable program (edits did not apply, or no code)";
            case CALL -> "model call failed";
        };
    }
}
