package io.galapagos.controller.generation;

import java.util.Objects;

/**
 * What goes into a prompt and how big each part may get (characters). A count or size of 0, or a
 * false flag, switches the section off. Kept in a run's journal: its rules are in {@link #check()}, for
 * settings built from configuration, so that a journal is never rejected by a later rule.
 *
 * @param maxParentCodeChars the parent's code is never cut (a diff needs all of it); a longer parent
 *                           fails the proposal instead
 * @param variants           the weights of the prompt variants an island draws from ({@link PromptVariants#IMPROVE_ONLY}
 *                           in journals before variants)
 * @param summaryEvery       every this many proposals the prompt carries the summary of what worked; 0 = never
 */
public record PromptSettings(AnswerFormat format, boolean problemStatement, boolean candidateApi,
        int maxParentCodeChars, boolean parentMetrics, int maxFeedbackChars, int maxProgramChars, int maxFailureChars,
        PromptVariants variants, int summaryEvery) {

    public PromptSettings {
        variants = variants == null ? PromptVariants.IMPROVE_ONLY : variants;
    }

    /** Prompts that always improve the parent and carry no summary, as before variants existed. */
    public PromptSettings(AnswerFormat format, boolean problemStatement, boolean candidateApi, int maxParentCodeChars,
                          boolean parentMetrics, int maxFeedbackChars, int maxProgramChars, int maxFailureChars) {
        this(format, problemStatement, candidateApi, maxParentCodeChars, parentMetrics, maxFeedbackChars,
                maxProgramChars, maxFailureChars, PromptVariants.IMPROVE_ONLY, 0);
    }

    /** Throws {@link IllegalArgumentException} when prompt settings built from configuration are not usable. */
    public PromptSettings check() {
        Objects.requireNonNull(format, "format");
        if (maxParentCodeChars < 1) {
            throw new IllegalArgumentException("maxParentCodeChars must be >= 1");
        }
        if (maxFeedbackChars < 0 || maxProgramChars < 0 || maxFailureChars < 0) {
            throw new IllegalArgumentException("prompt section sizes must be >= 0");
        }
        variants.check("variants");
        if (summaryEvery < 0) {
            throw new IllegalArgumentException("summaryEvery must be >= 0");
        }
        return this;
    }

    /** The prompt of the controller's {@code reference.conf}, the one source of its defaults. */
    public static PromptSettings defaults() {
        return GenerationConfig.defaultPrompt();
    }

    public PromptSettings withFormat(AnswerFormat format) {
        return new PromptSettings(format, problemStatement, candidateApi, maxParentCodeChars, parentMetrics,
                maxFeedbackChars, maxProgramChars, maxFailureChars, variants, summaryEvery);
    }

    public PromptSettings withVariants(PromptVariants next, int nextSummaryEvery) {
        return new PromptSettings(format, problemStatement, candidateApi, maxParentCodeChars, parentMetrics,
                maxFeedbackChars, maxProgramChars, maxFailureChars, next, nextSummaryEvery);
    }
}
