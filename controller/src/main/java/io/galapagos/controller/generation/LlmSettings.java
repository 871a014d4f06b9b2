package io.galapagos.controller.generation;

import java.util.List;
import java.util.Objects;

/**
 * Everything the LLM generator is configured with: a run's {@link LlmSpec} with how this node calls its
 * models ({@link ModelCalls#settingsOf}). Never journalled.
 */
public record LlmSettings(List<ModelSettings> models, PromptSettings prompt, RetryPolicy retry,
        EndpointCircuit.Settings circuit) {

    public LlmSettings {
        models = List.copyOf(models);
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(circuit, "circuit");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the LLM generator needs at least one model");
        }
    }

    public static LlmSettings of(List<ModelSettings> models) {
        return new LlmSettings(models, PromptSettings.defaults(), RetryPolicy.defaults(), EndpointCircuit.Settings.defaults());
    }

    /** What a run's journal keeps of these settings. */
    public LlmSpec spec() {
        return new LlmSpec(models.stream().map(ModelSettings::spec).toList(), prompt);
    }
}
