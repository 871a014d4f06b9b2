package io.galapagos.controller.run;

import io.galapagos.protocol.CborSerializable;

import java.util.Optional;

/**
 * The best program of an island or a run: its TRAIN score and, once measured, its held-out TEST score.
 *
 * @param excess how far its TRAIN metrics go past the island's constraint limits (0: feasible, or no
 *               constraints; see {@code galapagos.islands.constraints}): a feasible best beats any other
 */
public record BestSummary(String candidateId, String island, double score, Optional<Double> testScore, double excess)
        implements CborSerializable {

    /** A best with no constraint excess (the shape before constraints existed; a missing excess reads as 0). */
    public BestSummary(String candidateId, String island, double score, Optional<Double> testScore) {
        this(candidateId, island, score, testScore, 0);
    }

    /** Whether this best beats {@code other}: the smaller excess, then the higher score. */
    public boolean beats(BestSummary other) {
        return excess < other.excess || (excess == other.excess && score > other.score);
    }
}
