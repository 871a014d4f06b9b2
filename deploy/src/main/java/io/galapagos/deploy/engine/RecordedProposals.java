package io.galapagos.deploy.engine;

import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.report.RunHistory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The proposals a finished run journalled, handed out again by island and sequence: a replay asks no
 * model and runs no mutation engine, yet every island gets the answer it got the first time. A
 * proposal the island refused as a repeat was journalled without its code; it is answered with the
 * code of the candidate the reason names, so that the island refuses it again.
 */
public final class RecordedProposals {

    static final String GENERATOR = "replay";

    private final Map<String, Map<Long, Proposal>> byIsland = new HashMap<>();

    private RecordedProposals(RunHistory history) {
        Map<String, String> codeById = new HashMap<>();
        history.candidates().forEach(c -> codeById.put(c.candidateId(), c.code()));
        for (RunHistory.Candidate candidate : history.candidates()) {
            if (candidate.parentId().isPresent()) { // seeds are the run's settings, not proposals
                put(candidate.island(), candidate.sequence(), new Proposal.Code(candidate.code(), candidate.generator(),
                        candidate.summary(), candidate.usage()));
            }
        }
        for (RunHistory.FailedProposal failed : history.proposalFailures()) {
            Optional<String> repeated = repeatOf(failed.reason()).map(codeById::get);
            put(failed.island(), failed.sequence(), repeated.isPresent()
                    ? new Proposal.Code(repeated.get(), failed.generator(), "a repeat", failed.usage())
                    : new Proposal.Failed(failed.reason(), failed.generator(), failed.usage(), failed.callFailed()));
        }
    }

    /** The proposals of {@code history}. */
    public static RecordedProposals of(RunHistory history) {
        return new RecordedProposals(history);
    }

    private void put(String island, long sequence, Proposal proposal) {
        byIsland.computeIfAbsent(island, k -> new HashMap<>()).put(sequence, proposal);
    }

    /** The candidate a refused repeat named: {@code duplicate of run/0/12 (...)} gives {@code run/0/12}. */
    static Optional<String> repeatOf(String reason) {
        if (!reason.startsWith(Island.DUPLICATE)) {
            return Optional.empty();
        }
        String rest = reason.substring(Island.DUPLICATE.length());
        int end = rest.indexOf(' ');
        return Optional.of(end < 0 ? rest : rest.substring(0, end));
    }

    /** What island {@code islandId} got for its proposal {@code sequence}; a proposal the recording lacks fails as a call. */
    Proposal answer(String islandId, long sequence) {
        Proposal recorded = byIsland.getOrDefault(islandId, Map.of()).get(sequence);
        return recorded != null ? recorded : Proposal.Failed.call("the recorded run has no proposal " + islandId + "/"
                + sequence, GENERATOR, Usage.NONE);
    }

    /** Generators that answer every island from the recording. */
    public GeneratorFactory generators() {
        return (settings, islandNo, spent) -> {
            String islandId = settings.islandId(islandNo);
            SolutionGenerator generator = request -> CompletableFuture.completedFuture(answer(islandId, request.sequence()));
            return generator;
        };
    }
}
