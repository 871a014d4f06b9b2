package io.galapagos.deploy.engine;

import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCheckTest {

    private static RunHistory.Candidate candidate(String id, Optional<String> parent, String code, double score,
                                                  Map<String, Double> metrics) {
        String island = id.substring(0, id.lastIndexOf('/'));
        long sequence = Long.parseLong(id.substring(id.lastIndexOf('/') + 1));
        return new RunHistory.Candidate(id, island, sequence, code, parent, "fake-coder", "change", new Usage(10, 5, 0.01),
                Optional.of(new RunHistory.Evaluation(EvaluationStatus.OK, score, metrics, "", "TRAIN", 3, "w", sequence,
                        Optional.empty())), Optional.empty());
    }

    private static RunHistory history(List<RunHistory.Candidate> candidates, List<RunHistory.FailedProposal> failures) {
        return new RunHistory(Optional.empty(), List.of(), candidates, failures, Map.of(), 0, Set.of());
    }

    private static final RunHistory.FailedProposal REPEAT = new RunHistory.FailedProposal("run/0", 3, "run/0/1",
            "fake-coder", "duplicate of run/0/0 (the same program up to layout and comments); it was not evaluated again",
            new Usage(10, 5, 0.01), false);

    private final RunHistory recorded = history(List.of(
            candidate("run/0/0", Optional.empty(), "seed", -10, Map.of("m", 1.0)),
            candidate("run/0/1", Optional.of("run/0/0"), "one", -9, Map.of("m", 2.0)),
            candidate("run/0/2", Optional.of("run/0/1"), "two", -8, Map.of("m", 3.0))), List.of(REPEAT));

    @Test
    void anIdenticalHistoryReproducesItsRecording() {
        ReplayCheck check = ReplayCheck.compare(recorded, recorded);

        assertThat(check.divergence()).isEmpty();
        assertThat(check.candidates()).isEqualTo(3);
        assertThat(check.failedProposals()).isEqualTo(1);
    }

    @Test
    void theFirstDifferenceIsNamedDownToTheLastBitOfAScoreOrMetric() {
        double nextUp = Math.nextUp(-9.0);
        RunHistory score = history(List.of(recorded.candidates().get(0),
                candidate("run/0/1", Optional.of("run/0/0"), "one", nextUp, Map.of("m", 2.0)),
                candidate("run/0/2", Optional.of("run/0/1"), "two", -7, Map.of("m", 3.0))), List.of(REPEAT));
        RunHistory metric = history(List.of(recorded.candidates().get(0), recorded.candidates().get(1),
                candidate("run/0/2", Optional.of("run/0/1"), "two", -8, Map.of("m", Math.nextUp(3.0)))), List.of(REPEAT));
        RunHistory parent = history(List.of(recorded.candidates().get(0), recorded.candidates().get(1),
                candidate("run/0/2", Optional.of("run/0/0"), "two", -8, Map.of("m", 3.0))), List.of(REPEAT));
        RunHistory missing = history(recorded.candidates(), List.of());

        assertThat(ReplayCheck.compare(recorded, score).divergence())
                .hasValue("run/0/1: TRAIN recorded OK -9.0, replayed OK " + nextUp);
        assertThat(ReplayCheck.compare(recorded, metric).divergence())
                .hasValue("run/0/2: TRAIN metric m recorded 3.0, replayed " + Math.nextUp(3.0));
        assertThat(ReplayCheck.compare(recorded, parent).divergence())
                .hasValue("run/0/2: recorded parent run/0/1, replayed run/0/0");
        assertThat(ReplayCheck.compare(recorded, missing).divergence()).hasValueSatisfying(d ->
                assertThat(d).startsWith("the replay has no run/0/3 (recorded: a failed proposal, duplicate of run/0/0"));
    }

    @Test
    void recordedProposalsAnswerEachIslandAndSequenceAndARepeatWithTheCodeItRepeated() {
        RecordedProposals proposals = RecordedProposals.of(recorded);

        assertThat(proposals.answer("run/0", 1)).isEqualTo(new Proposal.Code("one", "fake-coder", "change",
                new Usage(10, 5, 0.01)));
        assertThat(proposals.answer("run/0", 3)).isInstanceOfSatisfying(Proposal.Code.class,
                code -> assertThat(code.code()).isEqualTo("seed"));
        assertThat(proposals.answer("run/0", 0)).as("a seed is no proposal").isInstanceOf(Proposal.Failed.class);
        assertThat(proposals.answer("run/1", 1)).isInstanceOfSatisfying(Proposal.Failed.class, failed -> {
            assertThat(failed.callFailed()).isTrue();
            assertThat(failed.reason()).isEqualTo("the recorded run has no proposal run/1/1");
        });
    }
}
