package io.galapagos.controller.generation;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How this node calls models, read from its current {@code galapagos.generation} and never journalled, so
 * that an operator can change a timeout, the retries, the circuit or a model's endpoint and resume: retries
 * and circuit, each model's request timeout and concurrency ({@code model-defaults}, or the model's entry in
 * {@code models}), and an entry's own {@code api-base} / {@code api-key-env}, which move a run's model.
 * {@link #settingsOf} is the one place a run's journalled {@link LlmSpec} becomes the generator's settings.
 *
 * @param entries what the model entries of the configuration say about calling them, by model name
 */
public record ModelCalls(ModelSettings.Defaults defaults, Map<String, Entry> entries, RetryPolicy retry,
                         EndpointCircuit.Settings circuit) {

    /**
     * What one entry of {@code galapagos.generation.models} sets for calling its model; empty: not set.
     *
     * @param apiKeyEnv empty: not set; present and empty: the entry says {@code none}
     */
    public record Entry(Optional<URI> apiBase, Optional<Optional<String>> apiKeyEnv, Optional<Duration> requestTimeout,
                        OptionalInt maxConcurrency) {

        public static final Entry NONE = new Entry(Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.empty());
    }

    public ModelCalls {
        entries = Map.copyOf(entries);
    }

    /** The calls of the controller's {@code reference.conf}, the one source of their defaults. */
    public static ModelCalls reference() {
        return GenerationConfig.defaultCalls();
    }

    /** How this node calls the models of {@code spec}: the run's choices with the node's current call settings. */
    public LlmSettings settingsOf(LlmSpec spec) {
        return new LlmSettings(spec.models().stream().map(this::modelOf).toList(), spec.prompt(), retry, circuit);
    }

    /** One model of a run, called as this node's configuration says. */
    public ModelSettings modelOf(ModelSpec spec) {
        Entry entry = entries.getOrDefault(spec.name(), Entry.NONE);
        Duration timeout = entry.requestTimeout()
                .orElse(spec.reasoning() ? defaults.reasoningRequestTimeout() : defaults.requestTimeout());
        return new ModelSettings(spec.name(), spec.weight(), entry.apiBase().orElse(spec.baseUrl()),
                entry.apiKeyEnv().orElse(spec.apiKeyEnv()), spec.temperature(), spec.topP(), spec.maxTokens(), timeout,
                entry.maxConcurrency().orElse(defaults.maxConcurrency()), spec.inputUsdPerMillion(),
                spec.outputUsdPerMillion(), spec.reasoning());
    }
}
