package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an island asks a generator for: a child of {@code parent}.
 *
 * @param sequence the island's proposal counter, for reasons and logs
 * @param seed     derived by the island from run seed, island and sequence; every random choice of
 *                 the generator comes from it, so a proposal is reproducible
 * @param tuning   present for a point of a tuning episode, answered by {@link LiteralTuner}, not the generator
 * @param model    the model the island chose for it ({@code model-choice = bandit}); empty: the generator
 *                 draws one by weight (and always for requests journalled before the field)
 * @param plan     the prompt's variant and what it works on ({@link PromptPlan#IMPROVE} for offline runs,
 *                 tuning points and requests journalled before variants)
 */
public record ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
        List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures,
        Optional<TuningStep> tuning, Optional<String> model, PromptPlan plan) implements CborSerializable {

    public ProposalRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(islandId, "islandId");
        Objects.requireNonNull(parent, "parent");
        inspirations = List.copyOf(inspirations);
        topPrograms = List.copyOf(topPrograms);
        recentFailures = List.copyOf(recentFailures);
        tuning = tuning == null ? Optional.empty() : tuning; // snapshots before tuning existed
        model = model == null ? Optional.empty() : model;
        plan = plan == null ? PromptPlan.IMPROVE : plan;
    }

    /** A request that improves its parent. */
    public ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
                           List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures,
                           Optional<TuningStep> tuning, Optional<String> model) {
        this(taskId, islandId, sequence, seed, parent, inspirations, topPrograms, recentFailures, tuning, model,
                PromptPlan.IMPROVE);
    }

    /** A request to the island's generator that leaves the model to the generator's weights. */
    public ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
                           List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures) {
        this(taskId, islandId, sequence, seed, parent, inspirations, topPrograms, recentFailures, Optional.empty(), Optional.empty());
    }

    public ProposalRequest withPlan(PromptPlan next) {
        return new ProposalRequest(taskId, islandId, sequence, seed, parent, inspirations, topPrograms, recentFailures,
                tuning, model, next);
    }

    /** The program the answer's edits apply to: the failed child for a fix, the parent otherwise. */
    public String baseCode() {
        return plan.failedChild().map(PromptPlan.FailedChild::code).orElse(parent.code());
    }
}
