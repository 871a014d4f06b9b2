package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

/**
 * The {@code galapagos.tuning} section: whether islands tune the numeric literals of their bests, kept in
 * the run's journal with the other island settings since it changes which candidates are proposed.
 *
 * @param enabled        islands run tuning episodes at all
 * @param maxEvaluations candidates one episode evaluates at most (each counts against the budget)
 * @param every          besides an episode for every new best: one on the current best after this many of the
 *                       island's evaluations without an episode; 0 = only for new bests
 * @param step           the first step of each literal, relative to its value (integers move by at least 1)
 * @param maxLiterals    literals tuned at most, the first ones of the EVOLVE-BLOCKs
 */
public record TuningSettings(boolean enabled, int maxEvaluations, int every, double step, int maxLiterals)
        implements CborSerializable {

    /** No tuning: what runs journalled before tuning existed have. */
    public static final TuningSettings OFF = new TuningSettings(false, 20, 0, 0.25, 8);

    /** Throws {@link IllegalArgumentException} naming the {@code galapagos.tuning} key at fault. */
    public TuningSettings check() {
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("galapagos.tuning.max-evaluations must be positive, not " + maxEvaluations);
        }
        if (every < 0) {
            throw new IllegalArgumentException("galapagos.tuning.every must be 0 (only new bests) or positive, not "
                    + every);
        }
        if (!(step > 0 && step <= 10)) {
            throw new IllegalArgumentException("galapagos.tuning.step must be above 0 and at most 10, not " + step);
        }
        if (maxLiterals < 1) {
            throw new IllegalArgumentException("galapagos.tuning.max-literals must be positive, not " + maxLiterals);
        }
        return this;
    }
}
