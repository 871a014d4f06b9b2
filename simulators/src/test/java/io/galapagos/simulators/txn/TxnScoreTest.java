package io.galapagos.simulators.txn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The score is the original evaluator's expression to the last bit, not an algebraically equal one. */
class TxnScoreTest {

    @Test
    void scoresAreWhatCPythonComputesForTheOriginalsExpression() {
        // repr(1000 / (1 + m) * 1000) in CPython, for makespans where 1e6 / (1 + m) differs in the last place
        assertThat(TxnEvaluator.score(28)).isEqualTo(34482.75862068966).isNotEqualTo(1e6 / 29);
        assertThat(TxnEvaluator.score(30)).isEqualTo(32258.06451612903).isNotEqualTo(1e6 / 31);
        assertThat(TxnEvaluator.score(48)).isEqualTo(20408.16326530612).isNotEqualTo(1e6 / 49);
        // the identity order's total on the published workloads, and the seed program's with seed 0
        assertThat(TxnEvaluator.score(537)).isEqualTo(1858.736059479554);
        assertThat(TxnEvaluator.score(369)).isEqualTo(2702.7027027027025);
    }
}
