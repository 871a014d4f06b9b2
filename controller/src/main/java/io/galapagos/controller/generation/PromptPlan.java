package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the island chose for a proposal's prompt besides its parent: the {@link PromptVariant} with what it
 * works on, and the summary of what worked when this proposal is one that carries it.
 *
 * @param failedChild the child of the parent that failed its evaluation; present exactly for {@code fix}
 * @param partner     the second program to combine with the parent; present exactly for {@code crossover}
 * @param summary     what worked and what failed on the island so far, every {@code summary-every} proposals
 */
public record PromptPlan(PromptVariant variant, Optional<FailedChild> failedChild, Optional<Program> partner,
                         Optional<SearchSummary> summary) implements CborSerializable {

    /** Improve the parent, with no summary: every request journalled before variants existed. */
    public static final PromptPlan IMPROVE = new PromptPlan(PromptVariant.IMPROVE, Optional.empty(), Optional.empty(),
            Optional.empty());

    public PromptPlan {
        variant = variant == null ? PromptVariant.IMPROVE : variant;
        failedChild = failedChild == null ? Optional.empty() : failedChild;
        partner = partner == null ? Optional.empty() : partner;
        summary = summary == null ? Optional.empty() : summary;
        if (failedChild.isPresent() != (variant == PromptVariant.FIX)) {
            throw new IllegalArgumentException("a fix, and only a fix, carries the failed child");
        }
        if (partner.isPresent() != (variant == PromptVariant.CROSSOVER)) {
            throw new IllegalArgumentException("a crossover, and only a crossover, carries a second program");
        }
    }

    public static PromptPlan fix(FailedChild child) {
        return new PromptPlan(PromptVariant.FIX, Optional.of(child), Optional.empty(), Optional.empty());
    }

    public static PromptPlan crossover(Program partner) {
        return new PromptPlan(PromptVariant.CROSSOVER, Optional.empty(), Optional.of(partner), Optional.empty());
    }

    public PromptPlan withSummary(SearchSummary next) {
        return new PromptPlan(variant, failedChild, partner, Optional.of(next));
    }

    /**
     * A child of the parent whose evaluation failed: the fix prompt shows its code and error, and the
     * model's edits apply to its code.
     *
     * @param reason the evaluation's status and feedback
     */
    public record FailedChild(String candidateId, String code, String reason) implements CborSerializable {

        public FailedChild {
            Objects.requireNonNull(candidateId, "candidateId");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The island's history for the summary section.
     *
     * @param evaluated    children evaluated so far
     * @param improved     of them, those that scored above their parent
     * @param improvements the latest improvements, newest last
     * @param failures     the most common reasons children and proposals failed, most frequent first
     */
    public record SearchSummary(long evaluated, long improved, List<Improvement> improvements,
                                List<FailureCount> failures) implements CborSerializable {

        public SearchSummary {
            improvements = List.copyOf(improvements);
            failures = List.copyOf(failures);
        }

        public boolean isEmpty() {
            return evaluated == 0 && failures.isEmpty();
        }
    }

    /**
     * A child that scored above its parent: who made it, with which variant, and what it said it changed.
     *
     * @param variant empty for a child no model prompt made (a tuned one)
     */
    public record Improvement(String candidateId, Optional<PromptVariant> variant, String generator, double gain,
                              String summary) implements CborSerializable {

        public Improvement {
            variant = variant == null ? Optional.empty() : variant;
        }
    }

    /** How often the island saw one kind of failure. */
    public record FailureCount(String reason, long count) implements CborSerializable {
    }
}
