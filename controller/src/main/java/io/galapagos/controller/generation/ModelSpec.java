package io.galapagos.controller.generation;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One model of a run's ensemble as its journal keeps it: what decides which model answers and what it is
 * asked and charged. How this node calls it (timeout, concurrency, and an endpoint that moved) is
 * {@link ModelCalls}'s, from the node's current configuration. The constructor only fills what an older
 * journal lacks; {@link #check()} holds the rules for settings built from configuration.
 *
 * @param baseUrl     the endpoint the run started with; a model entry in the current configuration with its
 *                    own {@code api-base} moves it
 * @param apiKeyEnv   the NAME of the environment variable that holds the key; empty for keyless local servers
 * @param temperature omitted from the request when empty (reasoning models reject it)
 * @param maxTokens   completion limit; an answer cut there is a failed proposal
 * @param reasoning   a reasoning model: sent {@code max_completion_tokens} and no sampling parameters
 */
public record ModelSpec(String name, double weight, URI baseUrl, Optional<String> apiKeyEnv, OptionalDouble temperature,
                        OptionalDouble topP, int maxTokens, double inputUsdPerMillion, double outputUsdPerMillion,
                        boolean reasoning) {

    public ModelSpec {
        apiKeyEnv = apiKeyEnv == null ? Optional.empty() : apiKeyEnv.filter(s -> !s.isBlank());
        temperature = temperature == null ? OptionalDouble.empty() : temperature;
        topP = topP == null ? OptionalDouble.empty() : topP;
    }

    /** Throws {@link IllegalArgumentException} with one line when a model built from configuration is not usable. */
    public ModelSpec check() {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (name.isBlank()) {
            throw new IllegalArgumentException("model name is blank");
        }
        if (!(weight > 0)) {
            throw new IllegalArgumentException("weight of " + name + " must be > 0, got " + weight);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens of " + name + " must be >= 1");
        }
        if (inputUsdPerMillion < 0 || outputUsdPerMillion < 0) {
            throw new IllegalArgumentException("prices of " + name + " must be >= 0");
        }
        return this;
    }

    /** Whether the catalog or the user gave this model a price (a budget means nothing without one). */
    public boolean priced() {
        return inputUsdPerMillion > 0 || outputUsdPerMillion > 0;
    }
}
