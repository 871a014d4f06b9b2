package io.galapagos.controller.generation;

import java.util.List;

/**
 * A model run's ensemble and prompt as its journal keeps them; {@link ModelCalls#settingsOf} adds how this
 * node calls the models (retries, circuit, timeouts, concurrency).
 *
 * @param selection how each proposal's model is chosen; journals before it was kept read as {@code weights}
 */
public record LlmSpec(List<ModelSpec> models, PromptSettings prompt, ModelSelection selection) {

    public LlmSpec {
        models = models == null ? List.of() : List.copyOf(models);
        selection = selection == null ? ModelSelection.WEIGHTS : selection;
    }

    /** An ensemble whose models are drawn by weight. */
    public LlmSpec(List<ModelSpec> models, PromptSettings prompt) {
        this(models, prompt, ModelSelection.WEIGHTS);
    }

    public LlmSpec withSelection(ModelSelection next) {
        return new LlmSpec(models, prompt, next);
    }
}
