package io.galapagos.controller.generation;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One model of the ensemble behind an OpenAI-compatible endpoint, as this node calls it: the run's
 * {@link ModelSpec} with the node's {@link ModelCalls} (built by {@link ModelCalls#modelOf}).
 *
 * @param baseUrl       the API root, e.g. {@code https://api.openai.com/v1}; {@code /chat/completions} is appended
 * @param apiKeyEnv     the NAME of the environment variable that holds the key; empty for keyless local servers
 * @param temperature   omitted from the request when empty (reasoning models reject it)
 * @param maxTokens     completion limit; an answer cut there is a failed proposal
 * @param maxConcurrency calls to this model in flight at once, over all islands of this node
 * @param reasoning     a reasoning model: sent {@code max_completion_tokens} and no sampling parameters
 */
public record ModelSettings(String name, double weight, URI baseUrl, Optional<String> apiKeyEnv,
        OptionalDouble temperature, OptionalDouble topP, int maxTokens, Duration requestTimeout, int maxConcurrency,
        double inputUsdPerMillion, double outputUsdPerMillion, boolean reasoning) {

    public ModelSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        // the rest of a model's rules are ModelSpec.check's: a run's journalled models are never rejected again
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency of " + name + " must be >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout of " + name + " must be positive");
        }
        apiKeyEnv = apiKeyEnv.filter(s -> !s.isBlank());
    }

    /** What the run's journal keeps of this model (not how this node calls it). */
    public ModelSpec spec() {
        return new ModelSpec(name, weight, baseUrl, apiKeyEnv, temperature, topP, maxTokens, inputUsdPerMillion,
                outputUsdPerMillion, reasoning);
    }

    /**
     * {@code galapagos.generation.model-defaults}: what a model gets unless its entry says otherwise.
     *
     * @param reasoningMaxTokens      {@code maxTokens} of a reasoning model
     * @param reasoningRequestTimeout {@code requestTimeout} of a reasoning model
     */
    public record Defaults(double temperature, double topP, int maxTokens, Duration requestTimeout, int maxConcurrency,
            int reasoningMaxTokens, Duration reasoningRequestTimeout) {

        public static Defaults fromConfig(Config c) {
            return new Defaults(c.getDouble("temperature"), c.getDouble("top-p"), c.getInt("max-tokens"),
                    c.getDuration("request-timeout"), c.getInt("max-concurrency"), c.getInt("reasoning-max-tokens"),
                    c.getDuration("reasoning-request-timeout"));
        }

        /** Those of the controller's {@code reference.conf}, the one source of the defaults. */
        public static Defaults reference() {
            return fromConfig(ConfigFactory.defaultReference().getConfig("galapagos.generation.model-defaults"));
        }
    }

    /** A model with the defaults of the controller's {@code reference.conf}. */
    public static ModelSettings of(String name, URI baseUrl, Optional<String> apiKeyEnv) {
        return of(name, baseUrl, apiKeyEnv, Defaults.reference());
    }

    /**
     * A model with {@code defaults}, and the prices and reasoning flag of {@link ModelCatalog} (zero prices
     * for a model it does not know).
     */
    public static ModelSettings of(String name, URI baseUrl, Optional<String> apiKeyEnv, Defaults defaults) {
        Optional<ModelCatalog.Entry> known = ModelCatalog.shipped().lookup(name);
        boolean reasoning = known.map(ModelCatalog.Entry::reasoning).orElse(false);
        return new ModelSettings(name, 1.0, baseUrl, apiKeyEnv,
                reasoning ? OptionalDouble.empty() : OptionalDouble.of(defaults.temperature()),
                reasoning ? OptionalDouble.empty() : OptionalDouble.of(defaults.topP()),
                reasoning ? defaults.reasoningMaxTokens() : defaults.maxTokens(),
                reasoning ? defaults.reasoningRequestTimeout() : defaults.requestTimeout(), defaults.maxConcurrency(),
                known.map(ModelCatalog.Entry::inputUsdPerMillion).orElse(0.0),
                known.map(ModelCatalog.Entry::outputUsdPerMillion).orElse(0.0), reasoning);
    }

    /** Whether the catalog or the user gave this model a price (a budget means nothing without one). */
    public boolean priced() {
        return inputUsdPerMillion > 0 || outputUsdPerMillion > 0;
    }

    public ModelSettings withWeight(double weight) {
        return new ModelSettings(name, weight, baseUrl, apiKeyEnv, temperature, topP, maxTokens, requestTimeout,
                maxConcurrency, inputUsdPerMillion, outputUsdPerMillion, reasoning);
    }

    public ModelSettings withPrices(double inputUsdPerMillion, double outputUsdPerMillion) {
        return new ModelSettings(name, weight, baseUrl, apiKeyEnv, temperature, topP, maxTokens, requestTimeout,
                maxConcurrency, inputUsdPerMillion, outputUsdPerMillion, reasoning);
    }

    public ModelSettings withLimits(int maxTokens, Duration requestTimeout, int maxConcurrency) {
        return new ModelSettings(name, weight, baseUrl, apiKeyEnv, temperature, topP, maxTokens, requestTimeout,
                maxConcurrency, inputUsdPerMillion, outputUsdPerMillion, reasoning);
    }

    public ModelSettings withSampling(OptionalDouble temperature, OptionalDouble topP) {
        return new ModelSettings(name, weight, baseUrl, apiKeyEnv, temperature, topP, maxTokens, requestTimeout,
                maxConcurrency, inputUsdPerMillion, outputUsdPerMillion, reasoning);
    }

    /** What {@code promptTokens} in and {@code completionTokens} out cost on this model. */
    public Usage usage(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens,
                (promptTokens * inputUsdPerMillion + completionTokens * outputUsdPerMillion) / 1_000_000.0);
    }

    /** The most a call can cost: the prompt plus a completion of {@code maxTokens}. */
    public double worstCaseUsd(long promptTokens) {
        return usage(promptTokens, maxTokens).costUsd();
    }
}
