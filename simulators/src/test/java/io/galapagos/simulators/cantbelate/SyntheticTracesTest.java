package io.galapagos.simulators.cantbelate;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticTracesTest {

    /** Ticks 0..39 of synthetic trace 0 of us-west-2a_v100_1, seed 42 ('0' = spot available, as in trace files). */
    private static final String FINGERPRINT = "0000000000000001111000000010000000000000";
    /** First spot price of synthetic trace 0 of us-east-1a_v100_1, seed 42. */
    private static final double MULTI_PRICE = 1.7018;

    @Test
    void sameSeedGivesTheSameTracesWhateverTheOrderOfGeneration() {
        AvailabilityProfile profile = SyntheticTraces.SINGLE_REGION.get(3);
        boolean[] later = SyntheticTraces.availability(profile, 42, 3, 17, 554);
        SyntheticTraces.availability(profile, 42, 3, 5, 554);
        boolean[] again = SyntheticTraces.availability(profile, 42, 3, 17, 554);

        assertThat(again).isEqualTo(later);
        assertThat(SyntheticTraces.availability(profile, 43, 3, 17, 554)).isNotEqualTo(later);
        assertThat(SyntheticTraces.availability(profile, 42, 3, 18, 554)).isNotEqualTo(later);
    }

    @Test
    void tracesOfSeed42StayTheSameAcrossMachinesAndVersions() {
        // a fingerprint of the default workload: changing the generator changes every synthetic score
        StringBuilder first = new StringBuilder();
        for (boolean up : SyntheticTraces.availability(SyntheticTraces.SINGLE_REGION.get(2), 42, 2, 0, 40)) {
            first.append(up ? '0' : '1');
        }
        assertThat(first.toString()).isEqualTo(FINGERPRINT);
        assertThat(SyntheticTraces.multiRegion(42, 0, 0, 1107).spotPricePerHour()).isEqualTo(MULTI_PRICE);
    }

    @Test
    void singleRegionTracesMatchThePublishedAvailabilityFractions() {
        double[] published = {0.954, 0.252, 0.687, 0.595};
        for (int env = 0; env < published.length; env++) {
            long up = 0;
            long ticks = 0;
            for (int trace = 0; trace < 300; trace++) {
                for (boolean a : SyntheticTraces.availability(SyntheticTraces.SINGLE_REGION.get(env), 42, env, trace, 554)) {
                    up += a ? 1 : 0;
                    ticks++;
                }
            }
            assertThat((double) up / ticks).as(SyntheticTraces.SINGLE_REGION.get(env).region())
                    .isCloseTo(published[env], within(0.02));
        }
    }

    @Test
    void runLengthsMatchTheCalibration() {
        List<AvailabilityProfile> all = new ArrayList<>(SyntheticTraces.SINGLE_REGION);
        all.addAll(SyntheticTraces.MULTI_REGION);
        for (AvailabilityProfile profile : all) {
            boolean[] chain = SyntheticTraces.availability(profile, 42, 0, 0, 400_000);
            double[] runs = meanRunLengths(chain);
            assertThat(runs[0]).as("mean available run of %s", profile.region())
                    .isCloseTo(profile.meanAvailableTicks(), within(profile.meanAvailableTicks() * 0.1));
            assertThat(runs[1]).as("mean unavailable run of %s", profile.region())
                    .isCloseTo(profile.meanUnavailableTicks(), within(profile.meanUnavailableTicks() * 0.1));
        }
        assertThat(SyntheticTraces.MULTI_REGION.get(0).availableFraction()).isCloseTo(0.208, within(0.002));
    }

    @Test
    void syntheticTestTracesAreNeverTrainTraces() {
        SingleRegionWorkload workload = SingleRegionWorkload.load(DataSource.synthetic());
        workload.traceNames(Split.TRAIN).forEach((env, names) -> {
            Set<String> test = new HashSet<>(workload.traceNames(Split.TEST).get(env));
            assertThat(names).hasSize(30).doesNotContainAnyElementsOf(test);
            assertThat(test).hasSize(30);
        });
    }

    private static double[] meanRunLengths(boolean[] chain) {
        long[] total = new long[2];
        long[] count = new long[2];
        int start = 0;
        for (int k = 1; k <= chain.length; k++) {
            if (k == chain.length || chain[k] != chain[start]) {
                int state = chain[start] ? 0 : 1;
                total[state] += k - start;
                count[state]++;
                start = k;
            }
        }
        return new double[]{(double) total[0] / count[0], (double) total[1] / count[1]};
    }
}
