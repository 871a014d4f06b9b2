package io.galapagos.controller.generation;

import java.util.Locale;

/** How a proposal's model is chosen ({@code galapagos.generation.model-choice}); journalled with the run's models. */
public enum ModelSelection {
    /** Drawn by the models' fixed weights with the proposal's seed. */
    WEIGHTS,
    /** Chosen by the island with UCB1 over what each model's children earned per dollar ({@link ModelBandit}). */
    BANDIT;

    /** {@code weights} or {@code bandit}; anything else is one line naming the key. */
    public static ModelSelection parse(String text, String key) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "weights" -> WEIGHTS;
            case "bandit" -> BANDIT;
            default -> throw new IllegalArgumentException(key + ": expected weights or bandit, not '" + text + "'");
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
