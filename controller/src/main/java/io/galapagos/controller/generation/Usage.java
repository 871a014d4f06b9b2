package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

/** Tokens and dollars one proposal consumed; {@link #NONE} for the offline engine. */
public record Usage(long promptTokens, long completionTokens, double costUsd) implements CborSerializable {

    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || costUsd < 0 || Double.isNaN(costUsd)) {
            throw new IllegalArgumentException("negative usage: " + promptTokens + ", " + completionTokens + ", " + costUsd);
        }
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                costUsd + other.costUsd);
    }
}
