package io.galapagos.controller.island;

import io.galapagos.controller.generation.PromptPlan;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.generation.PromptVariants;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The prompt variant of a model proposal, drawn by the configured weights with the proposal's random among
 * the variants that have something to work on: a fix needs a failed child whose parent is still in the
 * population (that parent becomes the proposal's parent), a crossover a second program whose code differs
 * from the parent's. Improving is always possible.
 *
 * @param parent the proposal's parent: the selection's, or the failed child's parent for a fix
 */
record VariantChoice(PromptPlan plan, Individual parent) {

    static VariantChoice choose(PromptVariants weights, Individual selected, Population population, Lessons lessons,
                                SplittableRandom random) {
        Optional<Lessons.Broken> broken = lessons.toFix(population);
        List<Individual> partners = partners(selected, population);
        Set<PromptVariant> possible = EnumSet.of(PromptVariant.IMPROVE);
        if (broken.isPresent()) {
            possible.add(PromptVariant.FIX);
        }
        if (!partners.isEmpty()) {
            possible.add(PromptVariant.CROSSOVER);
        }
        return switch (weights.draw(possible, random)) {
            case IMPROVE -> new VariantChoice(PromptPlan.IMPROVE, selected);
            case FIX -> new VariantChoice(PromptPlan.fix(broken.get().child()),
                    population.members().get(broken.get().parentId()));
            case CROSSOVER -> new VariantChoice(
                    PromptPlan.crossover(partners.get(random.nextInt(partners.size())).asProgram()), selected);
        };
    }

    /** The archive's elites besides the parent, or the whole population when the archive holds no other. */
    private static List<Individual> partners(Individual parent, Population population) {
        List<Individual> partners = distinct(parent, population.elites());
        return partners.isEmpty() ? distinct(parent, population.ranked()) : partners;
    }

    private static List<Individual> distinct(Individual parent, List<Individual> programs) {
        List<Individual> others = new ArrayList<>();
        for (Individual i : programs) {
            if (!i.candidateId().equals(parent.candidateId()) && !i.code().equals(parent.code())) {
                others.add(i);
            }
        }
        return others;
    }
}
