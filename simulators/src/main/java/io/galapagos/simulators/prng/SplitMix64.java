package io.galapagos.simulators.prng;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): the explicit seeded generator of Galapagos' synthetic
 * workloads. Spelled out rather than {@link java.util.SplittableRandom} so that a seed gives the same
 * workloads on every JVM, now and later.
 */
public final class SplitMix64 {

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform integer in {@code [0, bound)}: the high 32 bits scaled (Lemire, without rejection). */
    public int below(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((next() >>> 32) * bound) >>> 32);
    }

    /** A uniform integer in {@code [low, high]}. */
    public int between(int low, int high) {
        return low + below(high - low + 1);
    }

    /** A uniform double in {@code [0, 1)} from the top 53 bits. */
    public double nextDouble() {
        return (next() >>> 11) * 0x1.0p-53;
    }
}
