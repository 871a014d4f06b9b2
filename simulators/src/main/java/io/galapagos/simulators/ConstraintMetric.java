package io.galapagos.simulators;

import java.util.Objects;

/**
 * A metric that counts how far a program broke one of the task's rules while still getting a score
 * (Can't-Be-Late's deadline misses): the summary shows it next to the score, so that a best that
 * wins by breaking the rule more often than the seed does not go unnoticed.
 *
 * @param name          the key in the evaluation's {@code metrics}
 * @param lowerIsBetter whether fewer is better (a count of misses) rather than more (a success rate)
 */
public record ConstraintMetric(String name, boolean lowerIsBetter) {

    public ConstraintMetric {
        Objects.requireNonNull(name, "name");
    }

    /** Whether {@code value} is worse than {@code reference} for this metric. */
    public boolean worse(double value, double reference) {
        return lowerIsBetter ? value > reference : value < reference;
    }
}
