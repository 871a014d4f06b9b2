package io.galapagos.controller.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/** The models of a run; each proposal asks one, drawn by weight with the proposal's seeded generator. */
public final class ModelEnsemble {

    private final List<ModelSettings> models;

    public ModelEnsemble(List<ModelSettings> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        if (models.stream().map(ModelSettings::name).distinct().count() != models.size()) {
            throw new IllegalArgumentException("two models of the ensemble share a name");
        }
        this.models = List.copyOf(models);
    }

    /**
     * Weights for {@code count} models given without one: a single model takes all calls, two split
     * 80/20 (the first is the fast model, the second the reasoning model, as in the ADRS setups),
     * more share equally.
     */
    public static List<Double> defaultWeights(int count) {
        if (count == 2) {
            return List.of(0.8, 0.2);
        }
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            weights.add(1.0 / count);
        }
        return weights;
    }

    public List<ModelSettings> models() {
        return models;
    }

    /** The model called {@code name}, if it is one of the ensemble. */
    public Optional<ModelSettings> named(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * A model drawn by weight among those {@code available} accepts; always consumes exactly one number
     * of {@code random}, so that the rest of the proposal's draws do not depend on the outcome.
     */
    public Optional<ModelSettings> pick(SplittableRandom random, Predicate<ModelSettings> available) {
        double x = random.nextDouble();
        List<ModelSettings> usable = models.stream().filter(available).toList();
        double total = usable.stream().mapToDouble(ModelSettings::weight).sum();
        double point = x * total;
        for (ModelSettings m : usable) {
            point -= m.weight();
            if (point < 0) {
                return Optional.of(m);
            }
        }
        return usable.isEmpty() ? Optional.empty() : Optional.of(usable.get(usable.size() - 1));
    }
}
