package io.galapagos.simulators;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Test vectors of eplb.md E4.1. */
class SplitMix64Test {

    @Test
    void seed20251126GivesTheSpecifiedOutputs() {
        SplitMix64 rng = new SplitMix64(20251126L);
        assertThat(Long.toUnsignedString(rng.next())).isEqualTo("12602072731948751863");
        assertThat(Long.toUnsignedString(rng.next())).isEqualTo("11674864837731386239");
        assertThat(Long.toUnsignedString(rng.next())).isEqualTo("10581770641373271114");
    }

    @Test
    void belowMapsTheHighWordOntoTheRange() {
        SplitMix64 rng = new SplitMix64(20251126L);
        int[] drawn = new int[5];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = rng.below(256);
        }
        assertThat(drawn).containsExactly(174, 162, 146, 174, 182);
    }
}
