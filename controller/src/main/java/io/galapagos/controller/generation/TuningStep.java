package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.List;

/**
 * What a tuning proposal needs besides its parent (the tuned program): the results of the episode's
 * earlier points, in the order they were proposed, and the search's settings. From these alone
 * {@link LiteralTuner} derives the next point again, so the proposal is the same after any restart.
 *
 * @param scores         TRAIN scores of the episode's points so far; {@link LiteralSearch#FAILED} for a point
 *                       that failed its evaluation
 * @param maxEvaluations points the episode evaluates at most
 * @param step           first step of each literal relative to its value
 * @param maxLiterals    literals tuned at most
 */
public record TuningStep(List<Double> scores, int maxEvaluations, double step, int maxLiterals)
        implements CborSerializable {

    public TuningStep {
        scores = List.copyOf(scores);
    }
}
