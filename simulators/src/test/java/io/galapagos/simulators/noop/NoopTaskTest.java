package io.galapagos.simulators.noop;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NoopTaskTest {

    private final Evaluator<NoopCandidate> evaluator = new NoopTask().evaluator(DataSource.synthetic());

    @Test
    void nonFiniteValuesAreConstraintViolationsNotScores() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            EvaluationReport report = evaluator.evaluate(() -> () -> bad, Split.TRAIN);

            assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
            assertThat(report.score()).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(report.feedback()).isEqualTo("value() returned " + bad + "; it must be a finite number");
        }
    }

    @Test
    void anErrorThrownByTheCandidateIsARuntimeError() {
        EvaluationReport report = evaluator.evaluate(() -> () -> {
            throw new AssertionError("no number today");
        }, Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("AssertionError: no number today");
    }

    @Test
    void theScoreIsTheDistanceToTheTarget() {
        EvaluationReport report = evaluator.evaluate(() -> () -> 97.5, Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.score()).isEqualTo(-2.5);
    }
}
