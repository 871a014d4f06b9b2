package io.galapagos.controller;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long this node's islands wait for the journal to confirm their writes: a histogram with fixed
 * buckets, cheap enough to record from every island's write and read by a metrics scrape.
 */
public final class JournalWrites {

    /** Upper bounds of the buckets, in milliseconds; the last bucket holds everything slower. */
    public static final double[] BOUNDS_MILLIS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000};

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MILLIS.length + 1);
    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();

    /** A write of events that took {@code nanos} from the command that made them to the journal's confirmation. */
    public void record(long nanos) {
        double millis = nanos / 1e6;
        int bucket = 0;
        while (bucket < BOUNDS_MILLIS.length && millis > BOUNDS_MILLIS[bucket]) {
            bucket++;
        }
        buckets.incrementAndGet(bucket);
        count.increment();
        totalNanos.add(nanos);
    }

    public Snapshot snapshot() {
        long[] counts = new long[buckets.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets.get(i);
        }
        return new Snapshot(counts, count.sum(), Duration.ofNanos(totalNanos.sum()));
    }

    /** The writes so far: per bucket (not cumulative), their number and their summed duration. */
    public record Snapshot(long[] perBucket, long count, Duration total) {

        /** Writes that took at most {@code BOUNDS_MILLIS[bucket]}, as a Prometheus histogram counts them. */
        public long cumulative(int bucket) {
            long sum = 0;
            for (int i = 0; i <= bucket; i++) {
                sum += perBucket[i];
            }
            return sum;
        }
    }
}
