package io.galapagos.controller.island;

/** Seeds derived from (run seed, island, sequence): every random choice of a run is reproducible. */
public final class SeededRandom {

    private SeededRandom() {
    }

    public static long derive(long runSeed, int island, long sequence) {
        return mix(mix(mix(runSeed) ^ (island * 0x9E3779B97F4A7C15L)) ^ (sequence * 0xC2B2AE3D27D4EB4FL));
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
