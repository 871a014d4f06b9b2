package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The weights of the {@link PromptVariant}s an island draws from for each model proposal. A variant with
 * nothing to work on (no failed child to fix, no second program to cross with) is left out of the draw.
 */
public record PromptVariants(double improve, double fix, double crossover) implements CborSerializable {

    /** Every proposal improves its parent: runs journalled before variants existed. */
    public static final PromptVariants IMPROVE_ONLY = new PromptVariants(1, 0, 0);

    /** Throws {@link IllegalArgumentException} naming the variant when a weight is negative or all are 0. */
    public PromptVariants check(String key) {
        for (PromptVariant v : PromptVariant.values()) {
            double w = weight(v);
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(key + "." + v.key() + ": expected a weight >= 0, not " + w);
            }
        }
        if (improve + fix + crossover <= 0) {
            throw new IllegalArgumentException(key + ": at least one variant needs a positive weight");
        }
        return this;
    }

    public double weight(PromptVariant variant) {
        return switch (variant) {
            case IMPROVE -> improve;
            case FIX -> fix;
            case CROSSOVER -> crossover;
        };
    }

    /**
     * Draws a variant among {@code possible} by weight with the proposal's random; {@code improve} when none
     * of them has a positive weight (improving is always possible).
     */
    public PromptVariant draw(Set<PromptVariant> possible, SplittableRandom random) {
        Set<PromptVariant> weighted = EnumSet.noneOf(PromptVariant.class);
        possible.stream().filter(v -> weight(v) > 0).forEach(weighted::add);
        if (weighted.isEmpty()) {
            return PromptVariant.IMPROVE;
        }
        return WeightedChoice.draw(PromptVariant.class, weighted, this::weight, random);
    }
}
