package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * UCB1 over the models of an ensemble, rewarded by what each model's children earned per dollar. An island
 * keeps the {@link Earnings} as part of its state, updated from its journalled events in proposal order, so
 * a resumed or failed-over island rebuilds the same numbers and makes the same choices.
 *
 * <p>The reward of one call is {@code max(0, child - parent) / S}, where {@code S} is the largest
 * improvement any call of the island has made so far (so rewards lie in [0, 1] as UCB1 assumes, whatever
 * the task's score scale); a failed proposal, an invalid or repeated child and a child that failed its
 * evaluation earn 0. A model's value is its mean reward times {@code cheapest / its cost}, both costs
 * being mean dollars per call: a model that earns as much for twice the price is worth half. Costs count
 * only when every model of the ensemble has a price (otherwise an unpriced model would look free).
 */
public final class ModelBandit {

    private ModelBandit() {
    }

    /**
     * One model's record on an island.
     *
     * @param chosen      proposals the bandit gave it, those still outstanding included (they count as tried,
     *                    so that a batch of proposals in flight does not all go to the same untried model)
     * @param outcomes    its proposals whose outcome was applied
     * @param improvement the sum of {@code max(0, child - parent)} over those outcomes
     * @param costUsd     what those calls cost
     */
    public record Arm(long chosen, long outcomes, double improvement, double costUsd) implements CborSerializable {

        public static final Arm NONE = new Arm(0, 0, 0, 0);

        /** Mean dollars per call; 0 before an outcome. */
        public double meanCostUsd() {
            return outcomes == 0 ? 0 : costUsd / outcomes;
        }

        /** Mean improvement per call; 0 before an outcome. */
        public double meanImprovement() {
            return outcomes == 0 ? 0 : improvement / outcomes;
        }
    }

    /**
     * A model's proposal in evaluation: the parent score its child is measured against, and what the call cost.
     *
     * @param parentScore empty when the island no longer knew the request (a journal of an earlier version)
     */
    public record Call(String model, Optional<Double> parentScore, double costUsd) implements CborSerializable {

        public Call {
            parentScore = parentScore == null ? Optional.empty() : parentScore;
        }
    }

    /**
     * What the models of an island earned, by model name.
     *
     * @param largest the largest single improvement so far: the scale of the rewards
     */
    public record Earnings(Map<String, Arm> arms, double largest) implements CborSerializable {

        public static final Earnings NONE = new Earnings(Map.of(), 0);

        public Earnings {
            arms = arms == null ? Map.of() : Map.copyOf(arms);
        }

        public Arm of(String model) {
            return arms.getOrDefault(model, Arm.NONE);
        }

        /** {@code model} was given one more proposal. */
        public Earnings chosen(String model) {
            Arm a = of(model);
            return with(model, new Arm(a.chosen() + 1, a.outcomes(), a.improvement(), a.costUsd()), largest);
        }

        /** The outcome of one of {@code model}'s proposals: how much it improved on its parent, and its cost. */
        public Earnings outcome(String model, double improvement, double costUsd) {
            double gain = improvement > 0 && Double.isFinite(improvement) ? improvement : 0;
            double cost = costUsd > 0 && Double.isFinite(costUsd) ? costUsd : 0;
            Arm a = of(model);
            return with(model, new Arm(a.chosen(), a.outcomes() + 1, a.improvement() + gain, a.costUsd() + cost),
                    Math.max(largest, gain));
        }

        private Earnings with(String model, Arm arm, double nextLargest) {
            Map<String, Arm> next = new LinkedHashMap<>(arms);
            next.put(model, arm);
            return new Earnings(next, nextLargest);
        }
    }

    /**
     * The model for the next proposal: the first model (in ensemble order) not chosen yet, then the highest
     * {@code value + sqrt(2 ln N / chosen)}; exact ties are broken by {@code random}. Empty for no models.
     */
    public static Optional<String> choose(List<ModelSpec> models, Earnings earnings, SplittableRandom random) {
        for (ModelSpec m : models) {
            if (earnings.of(m.name()).chosen() == 0) {
                return Optional.of(m.name());
            }
        }
        long total = models.stream().mapToLong(m -> earnings.of(m.name()).chosen()).sum();
        List<String> best = new ArrayList<>();
        double bestScore = Double.NEGATIVE_INFINITY;
        for (ModelSpec m : models) {
            double score = value(models, earnings, m.name())
                    + Math.sqrt(2 * Math.log(total) / earnings.of(m.name()).chosen());
            if (score > bestScore) {
                bestScore = score;
                best.clear();
                best.add(m.name());
            } else if (score == bestScore) {
                best.add(m.name());
            }
        }
        if (best.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(best.size() == 1 ? best.get(0) : best.get(random.nextInt(best.size())));
    }

    /** The model's mean reward per call, scaled to the cheapest model's cost per call; in [0, 1]. */
    public static double value(List<ModelSpec> models, Earnings earnings, String model) {
        Arm arm = earnings.of(model);
        if (arm.outcomes() == 0 || earnings.largest() <= 0) {
            return 0;
        }
        double reward = arm.meanImprovement() / earnings.largest();
        return reward * costFactor(models, earnings, model);
    }

    /** {@code cheapest / cost} of the model's mean dollars per call; 1 when a cost is unknown or not comparable. */
    static double costFactor(List<ModelSpec> models, Earnings earnings, String model) {
        if (models.isEmpty() || !models.stream().allMatch(ModelSpec::priced)) {
            return 1;
        }
        double own = earnings.of(model).meanCostUsd();
        double cheapest = models.stream().mapToDouble(m -> earnings.of(m.name()).meanCostUsd())
                .filter(c -> c > 0).min().orElse(0);
        if (own <= 0 || cheapest <= 0) {
            return 1;
        }
        return cheapest / own;
    }
}
