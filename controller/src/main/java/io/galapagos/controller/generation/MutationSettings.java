package io.galapagos.controller.generation;

import java.util.EnumMap;
import java.util.Map;

/**
 * How the offline engine mutates.
 *
 * @param weights      relative chance of each kind among the kinds that have a site in the parent;
 *                     a kind missing from the map (or with weight 0) is never used
 * @param maxMutations a proposal makes between 1 and this many mutations
 * @param guarded      edit only sites that rarely break a program (see {@link SiteGuard}): numbers that
 *                     tune rather than index or bound, comparisons and conditions that weigh values
 *                     rather than guard; without it every numeric literal, comparison and condition is a site
 */
public record MutationSettings(Map<MutationKind, Double> weights, int maxMutations, boolean guarded) {

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

    /** Guarded sites. */
    public MutationSettings(Map<MutationKind, Double> weights, int maxMutations) {
        this(weights, maxMutations, true);
    }

    /** The same weights with every literal, comparison and condition a site, as in earlier versions. */
    public MutationSettings unguarded() {
        return new MutationSettings(weights, maxMutations, false);
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
        w.put(MutationKind.OPERAND_SCALED, 2.0);
        w.put(MutationKind.CONJUNCT_DROPPED, 1.0);
        w.put(MutationKind.BRANCH_DUPLICATED, 1.0);
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
