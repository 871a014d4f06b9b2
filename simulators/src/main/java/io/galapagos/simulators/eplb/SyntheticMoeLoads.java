package io.galapagos.simulators.eplb;

import io.galapagos.simulators.SplitMix64;

import java.util.HashSet;
import java.util.Set;

/**
 * The seeded synthetic MoE workload of eplb.md E4: per layer a Zipf-like popularity with a flat
 * floor over a shuffled expert ranking, slow drift between windows, ±2.3 % jitter, and loads made
 * coprime to 210 and distinct per layer so that no two experts' per-replica loads ever tie.
 * Integer arithmetic only; the order of draws is part of the definition.
 */
final class SyntheticMoeLoads {

    static final long DEFAULT_SEED = 20251126L;
    static final int LAYERS = 58;
    static final int EXPERTS = 256;
    static final int WINDOWS = 21;
    private static final long TOKENS = 1L << 21;
    private static final int C_MIN = 2;
    private static final int C_MAX = 16;
    private static final long FLAT = 16;
    private static final int SWAPS = 24;
    private static final int MAX_DIST = 8;
    private static final int JITTER = 24;
    private static final long MIN_LOAD = 11;

    private SyntheticMoeLoads() {
    }

    /** {@code [window][layer][expert]} token counts. */
    static long[][][] windows(long seed, int layers, int experts, int windows) {
        SplitMix64 rng = new SplitMix64(seed);
        int[][] perm = new int[layers][experts];
        int[] head = new int[layers];
        for (int l = 0; l < layers; l++) {
            for (int e = 0; e < experts; e++) {
                perm[l][e] = e;
            }
            for (int i = experts - 1; i > 0; i--) {
                swap(perm[l], i, rng.below(i + 1));
            }
            head[l] = C_MIN + rng.below(C_MAX - C_MIN + 1);
        }
        long[][][] load = new long[windows][layers][experts];
        for (int w = 0; w < windows; w++) {
            if (w > 0) {
                for (int l = 0; l < layers; l++) {
                    for (int k = 0; k < SWAPS; k++) {
                        int r = rng.below(experts);
                        int d = 1 + rng.below(MAX_DIST);
                        if (r + d < experts) {
                            swap(perm[l], r, r + d);
                        }
                    }
                }
            }
            for (int l = 0; l < layers; l++) {
                long[] share = new long[experts];
                long total = 0;
                for (int r = 0; r < experts; r++) {
                    share[r] = (1L << 32) / (r + head[l]) + (1L << 32) / FLAT;
                    total += share[r];
                }
                long[] target = new long[experts];
                for (int r = 0; r < experts; r++) {
                    long t = TOKENS * share[r] / total;
                    long u = rng.below(2 * JITTER + 1) - JITTER;
                    target[perm[l][r]] = t * (1024 + u) / 1024;
                }
                Set<Long> used = new HashSet<>();
                for (int e = 0; e < experts; e++) {
                    long x = Math.max(target[e], MIN_LOAD);
                    while (x % 2 == 0 || x % 3 == 0 || x % 5 == 0 || x % 7 == 0 || used.contains(x)) {
                        x++;
                    }
                    used.add(x);
                    load[w][l][e] = x;
                }
            }
        }
        return load;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
