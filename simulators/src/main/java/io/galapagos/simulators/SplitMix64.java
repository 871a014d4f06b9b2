package io.galapagos.simulators;

/**
 * SplitMix64, the explicit seeded generator of the synthetic workloads: a few lines of integer
 * arithmetic, so the same seed gives the same workload on any JVM and in any language.
 * Not thread-safe: one instance per generated workload.
 */
public final class SplitMix64 {

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64-bit output (read it as unsigned where that matters). */
    public long next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform integer in {@code [0, n)} for {@code 1 <= n < 2^31}: {@code ((next >>> 32) * n) >>> 32}. */
    public int below(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("below needs n >= 1, got " + n);
        }
        return (int) (((next() >>> 32) * n) >>> 32);
    }

    /** A uniform integer in {@code [low, high]}. */
    public int between(int low, int high) {
        return low + below(high - low + 1);
    }

    /** A double in {@code [0, 1)} from the top 53 bits. */
    public double nextDouble() {
        return (next() >>> 11) * 0x1.0p-53;
    }

    /** A double in {@code [lo, hi)}. */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }
}
