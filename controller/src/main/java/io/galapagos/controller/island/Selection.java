package io.galapagos.controller.island;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The choice of a parent and the programs shown next to it, OpenEvolve style: with the configured
 * ratios the parent is drawn from the whole population (exploration), from the elite archive
 * (exploitation) or is the island's best (elite; with {@code galapagos.islands.objectives = pareto}, any
 * program of the island's Pareto front, so that the search pushes along the whole front). Inspirations come
 * from other grid cells.
 *
 * @param mode {@code exploration}, {@code exploitation} or {@code elite}
 */
public record Selection(Individual parent, List<Individual> inspirations, List<Individual> topPrograms, String mode) {

    public static Selection choose(Population population, IslandSettings settings, SplittableRandom random) {
        List<Individual> ranked = population.ranked();
        if (ranked.isEmpty()) {
            throw new IllegalStateException("no program to select from");
        }
        double total = settings.explorationRatio() + settings.exploitationRatio() + settings.eliteRatio();
        double draw = random.nextDouble() * total;
        Individual parent;
        String mode;
        if (draw < settings.explorationRatio()) {
            parent = ranked.get(random.nextInt(ranked.size()));
            mode = "exploration";
        } else if (draw < settings.explorationRatio() + settings.exploitationRatio()) {
            List<Individual> elites = population.elites();
            parent = elites.get(random.nextInt(elites.size()));
            mode = "exploitation";
        } else if (settings.objectives().pareto()) {
            List<Individual> front = population.front();
            parent = front.get(random.nextInt(front.size()));
            mode = "elite";
        } else {
            parent = ranked.get(0);
            mode = "elite";
        }
        List<Individual> others = new ArrayList<>(population.cellHolders());
        others.removeIf(i -> i.candidateId().equals(parent.candidateId()));
        List<Individual> inspirations = new ArrayList<>();
        while (inspirations.size() < settings.inspirations() && !others.isEmpty()) {
            inspirations.add(others.remove(random.nextInt(others.size())));
        }
        List<Individual> top = ranked.stream().filter(i -> !i.candidateId().equals(parent.candidateId()))
                .limit(settings.topPrograms()).toList();
        return new Selection(parent, List.copyOf(inspirations), top, mode);
    }
}
