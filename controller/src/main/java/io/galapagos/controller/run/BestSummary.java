package io.galapagos.controller.run;

import io.galapagos.protocol.CborSerializable;

import java.util.Optional;

/**
 * The best program of an island or a run: its TRAIN score and, once measured, its held-out TEST score.
 *
 * @param excess  how far its TRAIN metrics go past the island's constraint limits (0: feasible, or no
 *                constraints; see {@code galapagos.islands.constraints}): a feasible best beats any other
 * @param samples the TRAIN scores of its evaluations when the task is stochastic ({@code score} is their mean);
 *                empty for a deterministic task, and in journals before format 7
 */
public record BestSummary(String candidateId, String island, double score, Optional<Double> testScore, double excess,
                          java.util.List<Double> samples)
        implements CborSerializable {

    public BestSummary {
        samples = samples == null ? java.util.List.of() : java.util.List.copyOf(samples);
    }

    public BestSummary(String candidateId, String island, double score, Optional<Double> testScore, double excess) {
        this(candidateId, island, score, testScore, excess, java.util.List.of());
    }

    /** A best with no constraint excess (the shape before constraints existed; a missing excess reads as 0). */
    public BestSummary(String candidateId, String island, double score, Optional<Double> testScore) {
        this(candidateId, island, score, testScore, 0);
    }

    /** Whether this best beats {@code other}: the smaller excess, then the higher score. */
    public boolean beats(BestSummary other) {
        return excess < other.excess || (excess == other.excess && score > other.score);
    }
}
