package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How a run proposes children, fixed when it starts and kept in the journal with the run's settings,
 * so that whichever controller node hosts an island (after a crash or a resume) builds the same
 * generator. Only what changes the proposals is in here: how a node calls the models (timeouts, retries,
 * circuit, concurrency) is that node's {@link ModelCalls}. Keys are not in here either: only the names of
 * the environment variables that hold them. The constructor only fills what an older journal lacks; the
 * rules are in {@link #check()}, for settings built from configuration.
 *
 * @param llm       the models and the prompt; empty for offline
 * @param budgetUsd the run's USD budget for model calls, shared evenly by its islands; empty = no limit
 */
public record GenerationSettings(Mode mode, Optional<LlmSpec> llm, OptionalDouble budgetUsd)
        implements CborSerializable {

    public enum Mode {
        /** The built-in mutation engine: no network, no cost. */
        OFFLINE,
        /** Models behind an OpenAI-compatible chat completions endpoint. */
        OPENAI
    }

    public GenerationSettings {
        mode = mode == null ? Mode.OFFLINE : mode;
        llm = llm == null ? Optional.empty() : llm;
        budgetUsd = budgetUsd == null ? OptionalDouble.empty() : budgetUsd;
    }

    /** Throws {@link IllegalArgumentException} with one line when settings built from configuration are not usable. */
    public GenerationSettings check() {
        if (mode == Mode.OPENAI && (llm.isEmpty() || llm.get().models().isEmpty())) {
            throw new IllegalArgumentException("--llm openai needs at least one --model");
        }
        if (budgetUsd.isPresent() && !(budgetUsd.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("the USD budget must be 0 or more, not " + budgetUsd.getAsDouble());
        }
        for (ModelSpec model : models()) {
            model.check();
        }
        llm.ifPresent(l -> l.prompt().check());
        if (budgetUsd.isPresent()) {
            for (ModelSpec model : models()) {
                if (!model.priced()) {
                    throw new IllegalArgumentException("model " + model.name() + " has no known price, so a USD budget"
                            + " cannot be kept: set its input-usd-per-million and output-usd-per-million in"
                            + " galapagos.generation.models");
                }
            }
        }
        return this;
    }

    public static GenerationSettings offline() {
        return new GenerationSettings(Mode.OFFLINE, Optional.empty(), OptionalDouble.empty());
    }

    public List<ModelSpec> models() {
        return llm.map(LlmSpec::models).orElse(List.of());
    }

    /** The budget of one of {@code islands} islands: an even share, so that no island waits for another. */
    public OptionalDouble islandBudget(int islands) {
        return budgetUsd.isPresent() ? OptionalDouble.of(budgetUsd.getAsDouble() / islands) : OptionalDouble.empty();
    }
}
