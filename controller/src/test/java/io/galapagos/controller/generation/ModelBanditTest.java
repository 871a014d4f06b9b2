package io.galapagos.controller.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(10)
class ModelBanditTest {

    private static ModelSpec model(String name, double usdPerMillion) {
        return new ModelSpec(name, 0.5, URI.create("http://127.0.0.1:1/v1"), Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), 1000, usdPerMillion, usdPerMillion, false);
    }

    /** How likely a model's child improves on its parent (by 1.0), and what one call costs. */
    record Behaviour(double improves, double costUsd) {
    }

    /** {@code rounds} proposals chosen by the bandit, each outcome applied before the next choice; calls per model. */
    private static Map<String, Long> play(List<ModelSpec> models, Map<String, Behaviour> behaviours, int rounds,
                                         long seed) {
        SplittableRandom world = new SplittableRandom(seed);
        SplittableRandom ties = new SplittableRandom(seed + 1);
        ModelBandit.Earnings earnings = ModelBandit.Earnings.NONE;
        for (int i = 0; i < rounds; i++) {
            String chosen = ModelBandit.choose(models, earnings, ties.split()).orElseThrow();
            earnings = earnings.chosen(chosen);
            Behaviour b = behaviours.get(chosen);
            earnings = earnings.outcome(chosen, world.nextDouble() < b.improves() ? 1.0 : 0, b.costUsd());
        }
        Map<String, Long> calls = new LinkedHashMap<>();
        for (ModelSpec m : models) {
            calls.put(m.name(), earnings.of(m.name()).chosen());
        }
        return calls;
    }

    @Test
    void triesEveryModelOnceBeforeComparingThem() {
        List<ModelSpec> models = List.of(model("a", 1), model("b", 1), model("c", 1));
        ModelBandit.Earnings e = ModelBandit.Earnings.NONE.chosen("a").outcome("a", 5, 0.01);
        assertThat(ModelBandit.choose(models, e, new SplittableRandom(1))).contains("b");
        e = e.chosen("b");
        assertThat(ModelBandit.choose(models, e, new SplittableRandom(1)))
                .as("a proposal still in flight counts as a try").contains("c");
    }

    @Test
    void prefersTheModelWhoseChildrenImproveMoreAndStillExploresTheOther() {
        List<ModelSpec> models = List.of(model("weak", 1), model("strong", 1));
        Map<String, Long> calls = play(models, Map.of("weak", new Behaviour(0.05, 0.01),
                "strong", new Behaviour(0.6, 0.01)), 300, 42);
        assertThat(calls.get("strong")).isGreaterThan(3 * calls.get("weak"));
        assertThat(calls.get("weak")).as("the weaker model is still tried now and then").isGreaterThanOrEqualTo(5);
    }

    @Test
    void aCheaperModelThatIsEquallyGoodWins() {
        List<ModelSpec> models = List.of(model("dear", 8), model("cheap", 2));
        Map<String, Long> calls = play(models, Map.of("dear", new Behaviour(0.5, 0.04),
                "cheap", new Behaviour(0.5, 0.01)), 300, 7);
        assertThat(calls.get("cheap")).isGreaterThan(2 * calls.get("dear"));
    }

    @Test
    void withoutAPriceForEveryModelCostsAreNotCompared() {
        List<ModelSpec> models = List.of(model("dear", 8), model("local", 0));
        ModelBandit.Earnings e = ModelBandit.Earnings.NONE.chosen("dear").outcome("dear", 1, 0.04)
                .chosen("local").outcome("local", 1, 0);
        assertThat(ModelBandit.value(models, e, "dear")).isCloseTo(1.0, within(1e-12));
        assertThat(ModelBandit.value(models, e, "local")).isCloseTo(1.0, within(1e-12));
        List<ModelSpec> priced = List.of(model("dear", 8), model("cheap", 2));
        ModelBandit.Earnings p = ModelBandit.Earnings.NONE.chosen("dear").outcome("dear", 1, 0.04)
                .chosen("cheap").outcome("cheap", 1, 0.01);
        assertThat(ModelBandit.value(priced, p, "dear")).isCloseTo(0.25, within(1e-12));
        assertThat(ModelBandit.value(priced, p, "cheap")).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void rewardsAreImprovementsScaledByTheLargestAndNeverNegative() {
        List<ModelSpec> models = List.of(model("a", 1), model("b", 1));
        ModelBandit.Earnings e = ModelBandit.Earnings.NONE.chosen("a").outcome("a", 4, 0.01).outcome("a", -3, 0.01)
                .chosen("b").outcome("b", 1, 0.01);
        assertThat(e.largest()).isEqualTo(4);
        assertThat(ModelBandit.value(models, e, "a")).as("(4 + 0) / 2 calls / 4").isCloseTo(0.5, within(1e-12));
        assertThat(ModelBandit.value(models, e, "b")).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void theSameSeedGivesTheSameChoices() {
        List<ModelSpec> models = List.of(model("a", 1), model("b", 1), model("c", 1));
        Map<String, Behaviour> behaviours = Map.of("a", new Behaviour(0.2, 0.01), "b", new Behaviour(0.3, 0.01),
                "c", new Behaviour(0.25, 0.01));
        assertThat(play(models, behaviours, 200, 99)).isEqualTo(play(models, behaviours, 200, 99));
    }
}
