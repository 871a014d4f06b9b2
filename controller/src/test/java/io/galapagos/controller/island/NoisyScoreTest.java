package io.galapagos.controller.island;

import io.galapagos.controller.island.NoisyScore.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NoisyScoreTest {

    @Test
    void aDeterministicEvaluatorLetsTheHigherScoreWin() {
        assertThat(NoisyScore.of(-90.0).against(NoisyScore.of(-91.0), 0)).isEqualTo(Verdict.DISPLACES);
        assertThat(NoisyScore.of(-91.0).against(NoisyScore.of(-91.0), 0)).isEqualTo(Verdict.KEEPS);
        assertThat(NoisyScore.of(-92.0).against(NoisyScore.of(-91.0), 0)).isEqualTo(Verdict.KEEPS);
    }

    @Test
    void aLuckySingleEvaluationNeedsItsRepeatsBeforeItCanDisplaceTheBest() {
        NoisyScore best = NoisyScore.of(10.0, 10.5, 9.5, 10.0);
        NoisyScore lucky = NoisyScore.of(11.0);

        assertThat(lucky.against(best, 3)).isEqualTo(Verdict.NEEDS_REPEATS);
        assertThat(lucky.with(10.0).with(9.5).against(best, 3)).isEqualTo(Verdict.NEEDS_REPEATS);
    }

    @Test
    void aMeanThatLeadsByNoMoreThanTheNoiseKeepsTheBest() {
        NoisyScore best = NoisyScore.of(10.0, 10.5, 9.5, 10.0);
        // the lucky 11.0 re-evaluated: mean 10.25, within two standard errors of the difference
        NoisyScore repeated = NoisyScore.of(11.0, 10.0, 9.5, 10.5);

        assertThat(repeated.mean()).isGreaterThan(best.mean());
        assertThat(repeated.against(best, 3)).isEqualTo(Verdict.KEEPS);
    }

    @Test
    void aMeanThatLeadsByMoreThanTwoStandardErrorsOfTheDifferenceDisplacesTheBest() {
        NoisyScore best = NoisyScore.of(10.0, 10.5, 9.5, 10.0);
        NoisyScore better = NoisyScore.of(12.0, 12.5, 11.5, 12.0);

        assertThat(better.against(best, 3)).isEqualTo(Verdict.DISPLACES);
        assertThat(best.against(better, 3)).isEqualTo(Verdict.KEEPS);
    }

    @Test
    void theLeadIsComparedWithTwiceTheStandardErrorOfTheDifference() {
        NoisyScore best = NoisyScore.of(0.0, 1.0); // mean 0.5, variance 0.5
        double standardErrorOfTheDifference = Math.sqrt(0.5 / 2 + 0.5 / 2); // 0.707...
        NoisyScore justInside = NoisyScore.of(0.5 + 2 * standardErrorOfTheDifference - 0.01 - 0.5,
                0.5 + 2 * standardErrorOfTheDifference - 0.01 + 0.5);
        NoisyScore justOutside = NoisyScore.of(0.5 + 2 * standardErrorOfTheDifference + 0.01 - 0.5,
                0.5 + 2 * standardErrorOfTheDifference + 0.01 + 0.5);

        assertThat(justInside.against(best, 1)).isEqualTo(Verdict.KEEPS);
        assertThat(justOutside.against(best, 1)).isEqualTo(Verdict.DISPLACES);
    }

    @Test
    void aBestWithASingleSampleIsGivenTheChallengersNoise() {
        NoisyScore seed = NoisyScore.of(10.0);

        assertThat(NoisyScore.of(10.5, 11.0, 10.0, 10.5).against(seed, 3)).as("within the noise").isEqualTo(Verdict.KEEPS);
        assertThat(NoisyScore.of(12.5, 13.0, 12.0, 12.5).against(seed, 3)).isEqualTo(Verdict.DISPLACES);
    }

    @Test
    void meanAndSpreadAreTheMeanAndTheStandardErrorOfTheMean() {
        NoisyScore score = NoisyScore.of(1.0, 2.0, 3.0, 4.0);

        assertThat(score.mean()).isEqualTo(2.5);
        assertThat(score.standardDeviation()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        assertThat(score.standardError()).isCloseTo(Math.sqrt(5.0 / 3) / 2, within(1e-12));
        assertThat(score.toString()).startsWith("2.5 ± 0.645").endsWith("(standard error of 4)");
        assertThat(NoisyScore.of(7.0).standardError()).isZero();
    }

    @Test
    void aScoreWithoutSamplesOrWithANonFiniteOneIsRefused() {
        assertThatThrownBy(NoisyScore::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoisyScore.of(1.0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoisyScore.of(1.0).against(NoisyScore.of(0.0), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
