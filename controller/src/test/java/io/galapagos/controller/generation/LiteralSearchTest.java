package io.galapagos.controller.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(20)
class LiteralSearchTest {

    /** A smooth function of two coordinates with its maximum 0 at (3, -2). */
    private static double bowl(List<Double> x) {
        return -Math.pow(x.get(0) - 3, 2) - 2 * Math.pow(x.get(1) + 2, 2);
    }

    private static List<Double> asList(double[] x) {
        List<Double> list = new ArrayList<>();
        for (double v : x) {
            list.add(v);
        }
        return list;
    }

    @Test
    void theReplayedSearchClimbsAKnownFunctionOnePointAtATime() {
        List<Double> scores = new ArrayList<>();
        List<List<Double>> points = new ArrayList<>();
        LiteralSearch.Next<List<Double>> next;
        while ((next = LiteralSearch.next(2, LiteralSearchTest::asList, bowl(List.of(0.0, 0.0)), scores, 200))
                instanceof LiteralSearch.Evaluate<List<Double>> evaluate) {
            points.add(evaluate.point());
            scores.add(bowl(evaluate.point()));
        }

        assertThat(next).isInstanceOf(LiteralSearch.Done.class);
        assertThat(((LiteralSearch.Done<?>) next).reason()).startsWith("converged");
        assertThat(scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isGreaterThan(-1e-3);
        assertThat(points).as("no point asked for twice").doesNotHaveDuplicates();
    }

    @Test
    void theSameResultsGiveTheSamePointWhereverTheSearchIsRestarted() {
        List<Double> scores = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            LiteralSearch.Next<List<Double>> first = LiteralSearch.next(2, LiteralSearchTest::asList, -13.0, scores, 20);
            LiteralSearch.Next<List<Double>> again = LiteralSearch.next(2, LiteralSearchTest::asList, -13.0,
                    List.copyOf(scores), 20);
            assertThat(again).isEqualTo(first);
            scores.add(bowl(((LiteralSearch.Evaluate<List<Double>>) first).point()));
        }
    }

    @Test
    void aFailedPointIsWorseThanAnyResultAndTheBudgetEndsTheSearch() {
        List<Double> scores = new ArrayList<>();
        LiteralSearch.Next<List<Double>> next;
        int asked = 0;
        while ((next = LiteralSearch.next(1, LiteralSearchTest::asList, -4.0, scores, 5))
                instanceof LiteralSearch.Evaluate<List<Double>> evaluate) {
            asked++;
            scores.add(evaluate.point().get(0) > 0 ? Double.NaN : -Math.abs(evaluate.point().get(0) + 4));
        }
        assertThat(asked).isEqualTo(5);
        assertThat(scores).as("the first point failed; the search turned away from it and improved")
                .first().matches(v -> v.isNaN());
        assertThat(scores.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max().orElseThrow())
                .isGreaterThan(-4.0);
        assertThat(((LiteralSearch.Done<?>) next).reason()).isEqualTo("tried 5 points");
    }

    @Test
    void noLiteralMeansNoSearch() {
        assertThat(LiteralSearch.next(0, LiteralSearchTest::asList, 1.0, List.of(), 5))
                .isInstanceOf(LiteralSearch.Done.class);
    }

    /** A Python program whose score is known from its two literals: the tuner improves it through whole proposals. */
    @Test
    void theTunerImprovesAProgramThroughItsLiteralsAndEndsTheEpisode() {
        String program = String.join("\n",
                "# EVOLVE-BLOCK-START",
                "def margin(x):",
                "    return x * 0.5 + 10  # the 0.5 and the 10 are tuned, this 7 is not",
                "# EVOLVE-BLOCK-END");
        ToDoubleFunction<String> score = code -> {
            List<TunableLiterals.Literal> l = TunableLiterals.of(code, SourceLanguage.PYTHON, 8).literals();
            return -Math.pow(l.get(0).number().value() - 0.8, 2) * 100 - Math.pow(l.get(1).number().value() - 14, 2);
        };
        double start = score.applyAsDouble(program);
        List<Double> scores = new ArrayList<>();
        Proposal proposal;
        while (true) {
            ProposalRequest request = new ProposalRequest("task", "r/0", scores.size() + 1, 1,
                    new Program("r/0/0", program, start, java.util.Map.of(), ""), List.of(), List.of(), List.of(),
                    Optional.of(new TuningStep(scores, 25, 0.25, 8)), Optional.empty());
            proposal = LiteralTuner.propose(request, SourceLanguage.PYTHON);
            if (!(proposal instanceof Proposal.Code code)) {
                break;
            }
            assertThat(code.generator()).isEqualTo(LiteralTuner.GENERATOR);
            assertThat(code.code()).contains("this 7 is not").startsWith("# EVOLVE-BLOCK-START\ndef margin(x):");
            scores.add(score.applyAsDouble(code.code()));
        }

        assertThat(((Proposal.Failed) proposal).generator()).isEqualTo(LiteralTuner.GENERATOR);
        assertThat(((Proposal.Failed) proposal).callFailed()).as("an ended episode is no failed answer").isTrue();
        assertThat(scores).hasSizeLessThanOrEqualTo(25);
        assertThat(scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isGreaterThan(start / 4);
    }
}
