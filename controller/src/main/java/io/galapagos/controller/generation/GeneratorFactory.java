package io.galapagos.controller.generation;

import io.galapagos.controller.run.RunSettings;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Builds the generator of one island on the node that hosts it: at its first proposal, also after a
 * crash moved it to another node or a resume restarted it.
 */
@FunctionalInterface
public interface GeneratorFactory {

    /**
     * @param spent what the island's earlier proposals cost, per model, as its journal recorded it: the
     *              island's share of the USD budget goes on from there instead of starting afresh
     */
    SolutionGenerator create(RunSettings settings, int islandNo, Map<String, CostTracker.ModelTotals> spent);

    /**
     * What a run's {@link GenerationSettings} ask for: the offline mutation engine, or the model ensemble
     * with the island's even share of the USD budget, less what the island already spent. Keys are read
     * from the environment of the node that hosts the island; a model's concurrency limit holds over all
     * the islands of this node.
     */
    static GeneratorFactory standard() {
        ConcurrentMap<String, ConcurrencyLimit> slots = new ConcurrentHashMap<>();
        return (settings, islandNo, spent) -> {
            GenerationSettings generation = settings.generation();
            if (generation.mode() == GenerationSettings.Mode.OFFLINE) {
                return new OfflineMutator(settings.taskId());
            }
            OptionalDouble share = generation.islandBudget(settings.islands());
            CostTracker costs = share.isPresent() ? CostTracker.withBudget(share.getAsDouble()) : CostTracker.unlimited();
            spent.forEach(costs::restore);
            return LlmGenerator.create(settings.taskId(), generation.llm().orElseThrow(), costs, slots);
        };
    }
}
