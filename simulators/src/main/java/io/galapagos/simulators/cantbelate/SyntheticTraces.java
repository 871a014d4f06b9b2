package io.galapagos.simulators.cantbelate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded availability traces: each trace is an independent two-state Markov chain whose first tick
 * is drawn from the stationary distribution. A trace depends only on (seed, region index, trace
 * index), so the same seed gives the same traces on any machine, in any order of generation.
 */
public final class SyntheticTraces {

    /**
     * The four single-region envs, calibrated to the base traces of the published data
     * (mean available / unavailable run lengths in ticks of 600 s).
     */
    public static final List<AvailabilityProfile> SINGLE_REGION = List.of(
            new AvailabilityProfile("us-west-2a_k80_1", 39.5, 2.0),
            new AvailabilityProfile("us-west-2b_k80_1", 10.2, 30.3),
            new AvailabilityProfile("us-west-2a_v100_1", 13.7, 6.3),
            new AvailabilityProfile("us-west-2b_v100_1", 11.8, 8.0));

    /** The nine multi-region zones (ticks of 195 s), calibrated to the published multi-region traces. */
    public static final List<AvailabilityProfile> MULTI_REGION = List.of(
            new AvailabilityProfile("us-east-1a_v100_1", 14.9, 57.1),
            new AvailabilityProfile("us-east-1c_v100_1", 32.2, 31.2),
            new AvailabilityProfile("us-east-1d_v100_1", 35.4, 33.5),
            new AvailabilityProfile("us-east-1f_v100_1", 44.2, 28.0),
            new AvailabilityProfile("us-east-2a_v100_1", 158.4, 30.0),
            new AvailabilityProfile("us-east-2b_v100_1", 90.4, 34.4),
            new AvailabilityProfile("us-west-2a_v100_1", 113.6, 13.1),
            new AvailabilityProfile("us-west-2b_v100_1", 231.0, 22.6),
            new AvailabilityProfile("us-west-2c_v100_1", 153.8, 13.5));

    /**
     * Typical first spot price ($/h) of each multi-region zone in the published traces; a synthetic
     * trace draws its price uniformly within 5% of it.
     */
    static final double[] MULTI_REGION_SPOT_PRICE = {1.64, 1.30, 1.26, 1.28, 0.93, 0.92, 0.95, 0.96, 0.94};

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SyntheticTraces() {
    }

    /** The availability of trace {@code traceIndex} of region {@code regionIndex}. */
    public static boolean[] availability(AvailabilityProfile profile, long seed, int regionIndex, int traceIndex,
                                         int ticks) {
        SplittableRandom random = stream(seed, regionIndex, traceIndex);
        double leaveAvailable = 1.0 / profile.meanAvailableTicks();
        double leaveUnavailable = 1.0 / profile.meanUnavailableTicks();
        boolean[] available = new boolean[ticks];
        boolean up = random.nextDouble() < profile.availableFraction();
        for (int k = 0; k < ticks; k++) {
            available[k] = up;
            up = up ? random.nextDouble() >= leaveAvailable : random.nextDouble() < leaveUnavailable;
        }
        return available;
    }

    /** A single-region trace (600 s ticks, spot at the constant price of the original). */
    static SpotTrace singleRegion(long seed, int envIndex, int traceIndex, int ticks) {
        AvailabilityProfile profile = SINGLE_REGION.get(envIndex);
        return new SpotTrace(profile.region() + "/synthetic-" + traceIndex, 600,
                availability(profile, seed, envIndex, traceIndex, ticks), SpotTrace.DEFAULT_SPOT_PRICE);
    }

    /** A multi-region trace (195 s ticks) with its own first spot price, like a published trace file. */
    static SpotTrace multiRegion(long seed, int regionIndex, int traceIndex, int ticks) {
        AvailabilityProfile profile = MULTI_REGION.get(regionIndex);
        // the price comes from a stream of its own so that it does not shift the availability draws
        SplittableRandom priceStream = stream(~seed, regionIndex, traceIndex);
        double price = MULTI_REGION_SPOT_PRICE[regionIndex] * (0.95 + 0.1 * priceStream.nextDouble());
        price = Math.round(price * 10_000) / 10_000.0;
        return new SpotTrace(profile.region() + "/synthetic-" + traceIndex, 195,
                availability(profile, seed, regionIndex, traceIndex, ticks), price);
    }

    private static SplittableRandom stream(long seed, int regionIndex, int traceIndex) {
        long key = seed;
        key = key * GOLDEN + regionIndex + 1;
        key = key * GOLDEN + traceIndex + 1;
        return new SplittableRandom(key);
    }
}
