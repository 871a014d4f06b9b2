package io.galapagos.controller.generation;

import java.util.Objects;

/**
 * What goes into a prompt and how big each part may get (characters). A count or size of 0, or a
 * false flag, switches the section off.
 *
 * @param maxParentCodeChars the parent's code is never cut (a diff needs all of it); a longer parent
 *                           fails the proposal instead
 */
public record PromptSettings(AnswerFormat format, boolean problemStatement, boolean candidateApi,
        int maxParentCodeChars, boolean parentMetrics, int maxFeedbackChars, int topPrograms, int inspirations,
        int maxProgramChars, int recentFailures, int maxFailureChars) {

    public PromptSettings {
        Objects.requireNonNull(format, "format");
        if (maxParentCodeChars < 1) {
            throw new IllegalArgumentException("maxParentCodeChars must be >= 1");
        }
        if (maxFeedbackChars < 0 || topPrograms < 0 || inspirations < 0 || maxProgramChars < 0 || recentFailures < 0
                || maxFailureChars < 0) {
            throw new IllegalArgumentException("prompt section sizes must be >= 0");
        }
    }

    public static PromptSettings defaults() {
        return new PromptSettings(AnswerFormat.DIFF, true, true, 40_000, true, 3_000, 3, 2, 8_000, 5, 600);
    }

    public PromptSettings withFormat(AnswerFormat format) {
        return new PromptSettings(format, problemStatement, candidateApi, maxParentCodeChars, parentMetrics,
                maxFeedbackChars, topPrograms, inspirations, maxProgramChars, recentFailures, maxFailureChars);
    }
}
