package io.galapagos.controller.generation;

import java.util.Locale;

/**
 * What a model is asked for ({@code galapagos.generation.prompt.variants}): a better version of the parent,
 * a repair of one of its children that failed its evaluation, or one program that combines two parents.
 * Journalled with every proposal, so a run's outputs say which variant made each child.
 */
public enum PromptVariant {
    /** Improve the parent: the prompt of every run before variants existed. */
    IMPROVE,
    /** Fix a child of the parent that failed its evaluation: the edits apply to the failed child. */
    FIX,
    /** Combine the strengths of the parent and a second program of the island's archive. */
    CROSSOVER;

    /** {@code improve}, {@code fix} or {@code crossover}: the name in configuration and outputs. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
