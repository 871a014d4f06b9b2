package io.galapagos.controller.island;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TuningTest {

    private static final TuningSettings ON = new TuningSettings(true, 3, 0, 0.25, 8);

    private static Population with(Population population, String id, double score) {
        return population.insert(new Individual(id, "code " + id, score, Map.of("value", score), "", "r/0",
                Optional.empty(), Optional.empty()), "value", 4, 4);
    }

    @Test
    void aNewBestStartsAnEpisodeWhichEndsAfterItsPointsAndOnlyABetterProgramStartsTheNext() {
        Population population = with(Population.empty(), "r/0/0", -5.0);
        Tuning tuning = Tuning.IDLE.started(population, 1, ON);
        assertThat(tuning.proposes()).isTrue();
        assertThat(tuning.episode().orElseThrow().target().candidateId()).isEqualTo("r/0/0");
        assertThat(Tuning.IDLE.started(population, 1, TuningSettings.OFF)).isEqualTo(Tuning.IDLE);

        tuning = tuning.proposing(1);
        assertThat(tuning.proposes()).as("one point at a time").isFalse();
        assertThat(tuning.awaits(1)).isTrue();
        tuning = tuning.scored(-4.0, 3, 2).proposing(2).scored(Double.NaN, 3, 3).proposing(3).scored(-4.5, 3, 4);

        assertThat(tuning.episode()).as("ended after max-evaluations points").isEmpty();
        assertThat(tuning.baseline()).isEqualTo(-4.0);
        assertThat(tuning.evaluatedAtEnd()).isEqualTo(4);
        Population tuned = with(population, "r/0/1", -4.0);
        assertThat(tuning.started(tuned, 5, ON)).as("tuning's own result starts nothing").isEqualTo(tuning);
        Population improved = with(tuned, "r/0/7", -3.0);
        assertThat(tuning.started(improved, 6, ON).episode().orElseThrow().target().candidateId()).isEqualTo("r/0/7");
    }

    @Test
    void everyNEvaluationsTheCurrentBestIsTunedAgainUnlessItWasTheLastTarget() {
        TuningSettings every = new TuningSettings(true, 1, 10, 0.25, 8);
        Population population = with(Population.empty(), "r/0/0", -5.0);
        Tuning ended = Tuning.IDLE.started(population, 1, every).proposing(1).scored(-4.0, 1, 2);
        Population tuned = with(population, "r/0/1", -4.0);

        assertThat(ended.started(tuned, 11, every).episode()).as("not yet 10 evaluations").isEmpty();
        assertThat(ended.started(tuned, 12, every).episode().orElseThrow().target().candidateId()).isEqualTo("r/0/1");
        assertThat(ended.started(population, 40, every).episode()).as("the last target again").isEmpty();
    }
}
