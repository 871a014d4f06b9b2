package io.galapagos.simulators.prism;

import java.util.List;

/**
 * KV-cache pressure, in the arithmetic order of the original evaluator so that scores are
 * bit-identical: per GPU the weighted request rate over the memory left for KV cache.
 */
public final class KvCachePressure {

    /** Pressure of a GPU whose weights leave no memory for KV cache, as in the original. */
    public static final double FULL_GPU = 1_000_000;

    private KvCachePressure() {
    }

    /** Pressure of one GPU: weighted rates summed left to right in list order over the free memory. */
    public static double of(List<Model> models) {
        int used = 0;
        double weighted = 0;
        for (Model m : models) {
            used += m.sizeGb();
            weighted = weighted + (double) m.requestRate() / m.slo();
        }
        int free = PlacementPolicy.GPU_MEMORY_GB - used;
        return free > 0 ? weighted / free : FULL_GPU;
    }

    /** numpy's {@code np.mean} of a float64 array: pairwise summation in blocks of eight lanes. */
    public static double numpyMean(double[] values) {
        return (0.0 + pairwiseSum(values, 0, values.length)) / values.length;
    }

    static double pairwiseSum(double[] a, int lo, int n) {
        if (n < 8) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s = s + a[lo + i];
            }
            return s;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, lo, r, 0, 8);
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] = r[j] + a[lo + i + j];
                }
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s = s + a[lo + i];
            }
            return s;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, lo, n2) + pairwiseSum(a, lo + n2, n - n2);
    }
}
