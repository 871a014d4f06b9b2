package io.galapagos.controller.generation;

import java.util.EnumMap;
import java.util.Map;

/**
 * How the offline engine mutates.
 *
 * @param weights      relative chance of each kind among the kinds that have a site in the parent;
 *                     a kind missing from the map (or with weight 0) is never used
 * @param maxMutations a proposal makes between 1 and this many mutations
 */
public record MutationSettings(Map<MutationKind, Double> weights, int maxMutations) {

    public MutationSettings {
        weights = Map.copyOf(weights);
        if (weights.values().stream().anyMatch(w -> !(w >= 0))) {
            throw new IllegalArgumentException("mutation weights must be >= 0: " + weights);
        }
        if (weights.values().stream().noneMatch(w -> w > 0)) {
            throw new IllegalArgumentException("at least one mutation kind needs a positive weight");
        }
        if (maxMutations < 1) {
            throw new IllegalArgumentException("maxMutations must be >= 1, got " + maxMutations);
        }
    }

    /** Constants and comparisons most often: they carry the thresholds of the seed policies. */
    public static MutationSettings defaults() {
        Map<MutationKind, Double> w = new EnumMap<>(MutationKind.class);
        w.put(MutationKind.CONSTANT_SCALED, 3.0);
        w.put(MutationKind.CONSTANT_SHIFTED, 2.0);
        w.put(MutationKind.COMPARISON_CHANGED, 2.0);
        w.put(MutationKind.CONDITION_NEGATED, 1.0);
        w.put(MutationKind.BRANCHES_SWAPPED, 1.0);
        w.put(MutationKind.ENUM_CONSTANT_CHANGED, 2.0);
        w.put(MutationKind.ROUNDING_CHANGED, 1.0);
        w.put(MutationKind.LOGICAL_OPERATOR_CHANGED, 1.0);
        w.put(MutationKind.METHOD_BODY_FROM_INSPIRATION, 1.0);
        return new MutationSettings(w, 2);
    }

    /** Only {@code kind}, one mutation per proposal. */
    public static MutationSettings only(MutationKind kind) {
        return new MutationSettings(Map.of(kind, 1.0), 1);
    }

    public double weight(MutationKind kind) {
        return weights.getOrDefault(kind, 0.0);
    }
}
