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
 */
public record ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
        List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures,
        Optional<TuningStep> tuning, Optional<String> model) implements CborSerializable {

    public ProposalRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(islandId, "islandId");
        Objects.requireNonNull(parent, "parent");
        inspirations = List.copyOf(inspirations);
        topPrograms = List.copyOf(topPrograms);
        recentFailures = List.copyOf(recentFailures);
        tuning = tuning == null ? Optional.empty() : tuning; // snapshots before tuning existed
        model = model == null ? Optional.empty() : model;
    }

    /** A request to the island's generator that leaves the model to the generator's weights. */
    public ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
                           List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures) {
        this(taskId, islandId, sequence, seed, parent, inspirations, topPrograms, recentFailures, Optional.empty(), Optional.empty());
    }
}
