package io.galapagos.controller.report;

import io.galapagos.controller.generation.Usage;
import io.galapagos.protocol.EvaluationStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Histories built by hand, for the tests of what is written from them. */
final class ReportFixtures {

    private ReportFixtures() {
    }

    static RunHistory.Evaluation ok(double score, Map<String, Double> metrics, long at) {
        return new RunHistory.Evaluation(EvaluationStatus.OK, score, metrics, "feedback " + score, "TRAIN", 12,
                "worker-1", at, Optional.of("bwrap"));
    }

    static RunHistory.Evaluation test(double score, Map<String, Double> metrics) {
        return new RunHistory.Evaluation(EvaluationStatus.OK, score, metrics, "", "TEST", 0, "", 0, Optional.empty());
    }

    static RunHistory.Candidate candidate(String island, long sequence, Optional<String> parent,
                                          Optional<RunHistory.Evaluation> evaluation,
                                          Optional<RunHistory.Evaluation> test) {
        return new RunHistory.Candidate(island + "/" + sequence, island, sequence, "class C { int v = " + sequence + "; }",
                parent, sequence == 0 ? "initial" : "offline", "change " + sequence, new Usage(100, 20, 0.001),
                evaluation, test);
    }

    static RunHistory history(List<RunHistory.Candidate> candidates, List<RunHistory.FailedProposal> failures) {
        return new RunHistory(Optional.empty(), List.of(), candidates, failures, Map.of(), 0, java.util.Set.of());
    }
}
