package io.galapagos.controller.generation;

import io.galapagos.controller.run.RunSettings;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

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
     * the islands of this node. Tasks are the built-in ones, found by the run's task id.
     */
    static GeneratorFactory standard() {
        return standard(settings -> Optional.empty());
    }

    /**
     * The same, for runs whose task may come from elsewhere than the class path.
     *
     * @param briefs the brief of the run's task when it is not a built-in one (a task folder, whose
     *               program may be in any language); empty for a built-in task, found by its id
     */
    static GeneratorFactory standard(Function<RunSettings, Optional<TaskBrief>> briefs) {
        return standard(briefs, LlmCallLog.OFF);
    }

    /** The same, recording every model call of this node in {@code callLog}. */
    static GeneratorFactory standard(Function<RunSettings, Optional<TaskBrief>> briefs, LlmCallLog callLog) {
        return standard(briefs, callLog, ModelCalls.reference());
    }

    /**
     * The same, calling models as {@code calls} says: this node's current timeouts, retries, circuit,
     * concurrency and moved endpoints, whatever the run's journal holds.
     */
    static GeneratorFactory standard(Function<RunSettings, Optional<TaskBrief>> briefs, LlmCallLog callLog,
                                     ModelCalls calls) {
        ConcurrentMap<String, ConcurrencyLimit> slots = new ConcurrentHashMap<>();
        return (settings, islandNo, spent) -> {
            GenerationSettings generation = settings.generation();
            Optional<TaskBrief> brief = briefs.apply(settings);
            if (generation.mode() == GenerationSettings.Mode.OFFLINE) {
                return brief.map(OfflineMutator::forBrief).orElseGet(() -> new OfflineMutator(settings.taskId()));
            }
            OptionalDouble share = generation.islandBudget(settings.islands());
            CostTracker costs = share.isPresent() ? CostTracker.withBudget(share.getAsDouble()) : CostTracker.unlimited();
            spent.forEach(costs::restore);
            LlmSettings llm = calls.settingsOf(generation.llm().orElseThrow());
            return brief.isPresent() ? LlmGenerator.create(brief.get(), llm, costs, slots, callLog)
                    : LlmGenerator.create(settings.taskId(), llm, costs, slots, callLog);
        };
    }
}
