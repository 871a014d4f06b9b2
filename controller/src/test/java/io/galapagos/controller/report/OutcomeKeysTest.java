package io.galapagos.controller.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class OutcomeKeysTest {

    @Test
    void tellsKindsIslandsAndSequencesApartAcrossGrowth() {
        OutcomeKeys keys = new OutcomeKeys();
        for (int island = 0; island < 4; island++) {
            for (long sequence = 0; sequence < 3_000; sequence += 2) {
                assertThat(keys.add(OutcomeKeys.Kind.CANDIDATE, "run/" + island, sequence)).isTrue();
            }
        }

        assertThat(keys.size()).isEqualTo(4 * 1_500);
        assertThat(keys.add(OutcomeKeys.Kind.CANDIDATE, "run/2", 1_000)).as("again").isFalse();
        assertThat(keys.contains(OutcomeKeys.Kind.CANDIDATE, "run/3", 2_998)).isTrue();
        assertThat(keys.contains(OutcomeKeys.Kind.CANDIDATE, "run/3", 2_999)).isFalse();
        assertThat(keys.contains(OutcomeKeys.Kind.TEST, "run/3", 2_998)).isFalse();
        assertThat(keys.contains(OutcomeKeys.Kind.CANDIDATE, "run/4", 0)).isFalse();
    }

    @Test
    void keepsKeysOfIslandsNamedOtherwiseAsText() {
        OutcomeKeys keys = new OutcomeKeys();

        assertThat(keys.add(OutcomeKeys.Kind.FAILED, "run/north", 3)).isTrue();
        assertThat(keys.addCandidate(OutcomeKeys.Kind.ROW, "run/north/4")).isTrue();
        assertThat(keys.addCandidate(OutcomeKeys.Kind.ROW, "run/0/4")).isTrue();

        assertThat(keys.contains(OutcomeKeys.Kind.FAILED, "run/north", 3)).isTrue();
        assertThat(keys.contains(OutcomeKeys.Kind.ROW, "run/north", 4)).isTrue();
        assertThat(keys.contains(OutcomeKeys.Kind.ROW, "run/0", 4)).isTrue();
        assertThat(keys.contains(OutcomeKeys.Kind.FAILED, "run/south", 3)).isFalse();
        assertThat(keys.size()).isEqualTo(3);
    }
}
