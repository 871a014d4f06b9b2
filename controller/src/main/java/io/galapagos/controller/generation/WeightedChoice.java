package io.galapagos.controller.generation;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** One of the available kinds of a mutation engine, drawn in proportion to its weight. */
final class WeightedChoice {

    private WeightedChoice() {
    }

    /** Draws from {@code available} (not empty), walking the kinds in declaration order so a seed gives one answer. */
    static <K extends Enum<K>> K draw(Class<K> kinds, Set<K> available, ToDoubleFunction<K> weight, SplittableRandom random) {
        double total = available.stream().mapToDouble(weight).sum();
        double x = random.nextDouble() * total;
        K last = null;
        for (K kind : kinds.getEnumConstants()) {
            if (!available.contains(kind)) {
                continue;
            }
            last = kind;
            x -= weight.applyAsDouble(kind);
            if (x < 0) {
                return kind;
            }
        }
        return last;
    }
}
