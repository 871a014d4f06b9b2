package io.galapagos.controller.generation;

import java.util.List;

/**
 * A model run's ensemble and prompt as its journal keeps them; {@link ModelCalls#settingsOf} adds how this
 * node calls the models (retries, circuit, timeouts, concurrency).
 */
public record LlmSpec(List<ModelSpec> models, PromptSettings prompt) {

    public LlmSpec {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
