package io.galapagos.controller.generation;

import java.util.concurrent.CompletionStage;

/**
 * Proposes a child of a parent program: an LLM of the ensemble or the offline mutation engine.
 * Implementations never block the caller; every failure completes the stage with
 * {@link Proposal.Failed} (with its reason), never exceptionally.
 */
public interface SolutionGenerator {

    CompletionStage<Proposal> propose(ProposalRequest request);

    /**
     * Whether a proposal now would be worth an iteration. An island stops asking while the endpoint
     * is paused or the USD budget is spent, instead of recording a failure per attempt.
     */
    default GeneratorHealth health() {
        return GeneratorHealth.ready();
    }

    /** The language of the programs it proposes: how an island tells two of them apart (Java for built-in tasks). */
    default SourceLanguage language() {
        return SourceLanguage.JAVA;
    }
}
