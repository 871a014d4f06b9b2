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
 */
public record ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
        List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures,
        Optional<TuningStep> tuning) implements CborSerializable {

    public ProposalRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(islandId, "islandId");
        Objects.requireNonNull(parent, "parent");
        inspirations = List.copyOf(inspirations);
        topPrograms = List.copyOf(topPrograms);
        recentFailures = List.copyOf(recentFailures);
        tuning = tuning == null ? Optional.empty() : tuning; // snapshots before tuning existed
    }

    /** A request to the island's generator. */
    public ProposalRequest(String taskId, String islandId, long sequence, long seed, Program parent,
                           List<Program> inspirations, List<Program> topPrograms, List<FailedAttempt> recentFailures) {
        this(taskId, islandId, sequence, seed, parent, inspirations, topPrograms, recentFailures, Optional.empty());
    }
}
