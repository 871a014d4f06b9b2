package io.galapagos.controller.generation;

/** What a model is asked to answer with. */
public enum AnswerFormat {
    /** SEARCH/REPLACE blocks against the parent (the default: cheap and precise). */
    DIFF,
    /** The whole program in one block fenced in its language; only its EVOLVE-BLOCK may differ from the parent. */
    FULL_REWRITE
}
