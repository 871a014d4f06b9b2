package io.galapagos.simulators.txn;

import io.galapagos.simulators.SplitMix64;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Seeded synthetic workloads shaped like the three published ones: {@code hot-keys} (16 reads and
 * writes per transaction over a Zipf-skewed key space, like WORKLOAD_1), {@code mixed-length} (long
 * read-mostly and short read-modify-write transactions on 50 keys, like WORKLOAD_2) and
 * {@code read-write} (one read, seven placeholders, one write on 10 keys, like WORKLOAD_3).
 */
public final class WorkloadGenerator {

    /** Key space and skew of the hot-keys shape: every published WORKLOAD_1 transaction touches keys 1..4. */
    static final int HOT_KEY_SPACE = 5300;
    static final double HOT_KEY_SKEW = 1.1;
    static final double HOT_KEY_WRITE_SHARE = 0.55;

    private final double[] zipfCumulative;

    public WorkloadGenerator() {
        zipfCumulative = new double[HOT_KEY_SPACE];
        double sum = 0;
        for (int k = 1; k <= HOT_KEY_SPACE; k++) {
            sum += 1.0 / Math.pow(k, HOT_KEY_SKEW);
            zipfCumulative[k - 1] = sum;
        }
        for (int i = 0; i < HOT_KEY_SPACE; i++) {
            zipfCumulative[i] /= sum;
        }
    }

    /** One workload of each shape, {@code size} transactions each, in the order hot-keys, mixed-length, read-write. */
    public List<Workload> generate(long seed, int size, String prefix) {
        SplitMix64 rng = new SplitMix64(seed);
        return List.of(hotKeys(prefix + "hot-keys", rng, size),
                mixedLength(prefix + "mixed-length", rng, size),
                readWrite(prefix + "read-write", rng, size));
    }

    Workload hotKeys(String name, SplitMix64 rng, int size) {
        List<Transaction> txns = new ArrayList<>(size);
        for (int id = 0; id < size; id++) {
            Set<Integer> keys = new LinkedHashSet<>();
            while (keys.size() < 16) {
                keys.add(zipfKey(rng.nextDouble()));
            }
            StringBuilder text = new StringBuilder();
            for (int key : keys) {
                text.append(text.length() == 0 ? "" : " ")
                        .append(rng.nextDouble() < HOT_KEY_WRITE_SHARE ? "w-" : "r-").append(key);
            }
            txns.add(Transaction.parse(id, text.toString()));
        }
        return new Workload(name, txns);
    }

    /** First half long ({@code r-a r-b w-b} and 18 placeholders), second half short ({@code r-a w-a r-b w-b *}). */
    Workload mixedLength(String name, SplitMix64 rng, int size) {
        List<Transaction> txns = new ArrayList<>(size);
        for (int id = 0; id < size; id++) {
            int a = rng.between(1, 4);
            int b = rng.between(5, 50);
            String text = id < size / 2
                    ? "r-" + a + " r-" + b + " w-" + b + " *".repeat(18)
                    : "r-" + a + " w-" + a + " r-" + b + " w-" + b + " *";
            txns.add(Transaction.parse(id, text));
        }
        return new Workload(name, txns);
    }

    Workload readWrite(String name, SplitMix64 rng, int size) {
        List<Transaction> txns = new ArrayList<>(size);
        for (int id = 0; id < size; id++) {
            int read = rng.between(1, 10);
            int write = rng.between(1, 10);
            txns.add(Transaction.parse(id, "r-" + read + " *".repeat(7) + " w-" + write));
        }
        return new Workload(name, txns);
    }

    private int zipfKey(double u) {
        int lo = 0;
        int hi = zipfCumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo + 1;
    }
}
