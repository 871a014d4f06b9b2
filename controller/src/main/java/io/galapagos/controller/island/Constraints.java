package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The task's rules on metrics other than its score (Can't-Be-Late: deadline misses, which its score
 * does not penalise) as an island applies them ({@code galapagos.islands.constraints}): {@code off}
 * ranks by score alone; {@code initial} lets no program break a rule more than the island's first
 * program (the initial program, or the first seed of a branch) did; {@code zero} allows no miss at all.
 * A program within every limit ranks before any other, among the rest the smaller excess first, and the
 * score decides between programs of equal standing. Scores themselves never change.
 *
 * @param mode    how the limits are set
 * @param metrics the task's constraint metrics: name to whether lower is better
 */
public record Constraints(Mode mode, Map<String, Boolean> metrics) implements CborSerializable {

    public static final Constraints OFF = new Constraints(Mode.OFF, Map.of());

    /** How an island sets its limits. */
    public enum Mode {
        OFF, INITIAL, ZERO;

        /** {@code off}, {@code initial} or {@code zero}; throws naming the key otherwise. */
        public static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.strip())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("galapagos.islands.constraints must be off, initial or zero, not '"
                    + text + "'");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Constraints {
        // settings journalled before constraints existed have none: those runs go on ranking by score
        mode = mode == null ? Mode.OFF : mode;
        metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
    }

    /** The same mode over the task's constraint metrics (name to whether lower is better). */
    public Constraints withMetrics(Map<String, Boolean> taskMetrics) {
        return new Constraints(mode, taskMetrics);
    }

    /** Whether programs are ranked by anything but their score. */
    public boolean active() {
        return mode != Mode.OFF && !metrics.isEmpty();
    }

    /** The limits an island keeps from its first program's metrics. */
    public Limits limitsFrom(Map<String, Double> first) {
        if (!active()) {
            return Limits.NONE;
        }
        Map<String, Double> atMost = new TreeMap<>();
        Map<String, Double> atLeast = new TreeMap<>();
        metrics.forEach((name, lowerIsBetter) -> {
            Double initial = first.get(name);
            if (lowerIsBetter && mode == Mode.ZERO) {
                atMost.put(name, 0.0);
            } else if (initial != null && lowerIsBetter) {
                atMost.put(name, initial);
            } else if (initial != null) {
                // "zero" means nothing for a rate where more is better: the first program's value is the floor
                atLeast.put(name, initial);
            }
        });
        return new Limits(atMost, atLeast);
    }

    /**
     * The bounds a program must keep: a metric at most / at least a value.
     * A program that does not report a bounded metric is not judged on it.
     */
    public record Limits(Map<String, Double> atMost, Map<String, Double> atLeast) implements CborSerializable {

        public static final Limits NONE = new Limits(Map.of(), Map.of());

        public Limits {
            atMost = atMost == null ? Map.of() : new TreeMap<>(atMost);
            atLeast = atLeast == null ? Map.of() : new TreeMap<>(atLeast);
        }

        /** How far the metrics go past the bounds, summed (0: feasible). */
        public double excess(Map<String, Double> metrics) {
            double excess = 0;
            for (Map.Entry<String, Double> bound : atMost.entrySet()) {
                Double value = metrics.get(bound.getKey());
                if (value != null && value > bound.getValue()) {
                    excess += value - bound.getValue();
                }
            }
            for (Map.Entry<String, Double> bound : atLeast.entrySet()) {
                Double value = metrics.get(bound.getKey());
                if (value != null && value < bound.getValue()) {
                    excess += bound.getValue() - value;
                }
            }
            return excess;
        }

        /** Feasible first, then the smaller excess, then the higher score, then the candidate id. */
        public Comparator<Individual> bestFirst() {
            if (atMost.isEmpty() && atLeast.isEmpty()) {
                return Population.BEST_FIRST;
            }
            return Comparator.<Individual>comparingDouble(i -> excess(i.metrics())).thenComparing(Population.BEST_FIRST);
        }
    }

    /**
     * Whether a program of {@code score} and {@code excess} beats one of {@code otherScore} and {@code otherExcess}:
     * the smaller excess, then the higher score (the rule of an island's and a run's best).
     */
    public static boolean beats(double score, double excess, double otherScore, double otherExcess) {
        return excess < otherExcess || (excess == otherExcess && score > otherScore);
    }
}
