package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How a run proposes children, fixed when it starts and kept in the journal with the run's settings,
 * so that whichever controller node hosts an island (after a crash or a resume) builds the same
 * generator. Keys are not in here: only the names of the environment variables that hold them.
 *
 * @param llm       the models, their endpoints, prompt, retry and circuit settings; empty for offline
 * @param budgetUsd the run's USD budget for model calls, shared evenly by its islands; empty = no limit
 */
public record GenerationSettings(Mode mode, Optional<LlmSettings> llm, OptionalDouble budgetUsd)
        implements CborSerializable {

    public enum Mode {
        /** The built-in mutation engine: no network, no cost. */
        OFFLINE,
        /** Models behind an OpenAI-compatible chat completions endpoint. */
        OPENAI
    }

    public GenerationSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(llm, "llm");
        Objects.requireNonNull(budgetUsd, "budgetUsd");
        if (mode == Mode.OPENAI && llm.isEmpty()) {
            throw new IllegalArgumentException("--llm openai needs at least one --model");
        }
        if (budgetUsd.isPresent() && !(budgetUsd.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("the USD budget must be 0 or more, not " + budgetUsd.getAsDouble());
        }
        if (budgetUsd.isPresent() && llm.isPresent()) {
            for (ModelSettings model : llm.get().models()) {
                if (!model.priced()) {
                    throw new IllegalArgumentException("model " + model.name() + " has no known price, so a USD budget"
                            + " cannot be kept: set its input-usd-per-million and output-usd-per-million in"
                            + " galapagos.generation.models");
                }
            }
        }
    }

    public static GenerationSettings offline() {
        return new GenerationSettings(Mode.OFFLINE, Optional.empty(), OptionalDouble.empty());
    }

    public List<ModelSettings> models() {
        return llm.map(LlmSettings::models).orElse(List.of());
    }

    /** The budget of one of {@code islands} islands: an even share, so that no island waits for another. */
    public OptionalDouble islandBudget(int islands) {
        return budgetUsd.isPresent() ? OptionalDouble.of(budgetUsd.getAsDouble() / islands) : OptionalDouble.empty();
    }
}
