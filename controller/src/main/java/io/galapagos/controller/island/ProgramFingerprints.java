package io.galapagos.controller.island;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The first candidate (its sequence) with each program, by {@link CodeFingerprint}: an island keeps one
 * entry per distinct program it proposed, for the repeat check, so over a long run this is its largest
 * part. Two sorted primitive arrays, 16 bytes an entry (a map of boxed longs takes some 80, and was copied
 * whole at every proposal), immutable; {@link #with} copies the arrays. A {@code Map} to Jackson, so the
 * journal and snapshots keep their format.
 */
final class ProgramFingerprints extends AbstractMap<Long, Long> {

    static final ProgramFingerprints EMPTY = new ProgramFingerprints(new long[0], new long[0]);

    private final long[] fingerprints;
    private final long[] sequences;

    private ProgramFingerprints(long[] fingerprints, long[] sequences) {
        this.fingerprints = fingerprints;
        this.sequences = sequences;
    }

    /** {@code map} itself when it is one, else its entries in a new one. */
    static ProgramFingerprints of(Map<Long, Long> map) {
        if (map instanceof ProgramFingerprints fingerprints) {
            return fingerprints;
        }
        long[] keys = new long[map.size()];
        int n = 0;
        for (Long key : map.keySet()) {
            keys[n++] = key;
        }
        Arrays.sort(keys);
        long[] values = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = map.get(keys[i]);
        }
        return new ProgramFingerprints(keys, values);
    }

    /** These entries and {@code fingerprint} first proposed at {@code sequence}, unless it has an entry already. */
    ProgramFingerprints with(long fingerprint, long sequence) {
        int at = Arrays.binarySearch(fingerprints, fingerprint);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        int size = fingerprints.length;
        long[] keys = new long[size + 1];
        long[] values = new long[size + 1];
        System.arraycopy(fingerprints, 0, keys, 0, insert);
        System.arraycopy(sequences, 0, values, 0, insert);
        keys[insert] = fingerprint;
        values[insert] = sequence;
        System.arraycopy(fingerprints, insert, keys, insert + 1, size - insert);
        System.arraycopy(sequences, insert, values, insert + 1, size - insert);
        return new ProgramFingerprints(keys, values);
    }

    @Override
    public int size() {
        return fingerprints.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Long fingerprint && Arrays.binarySearch(fingerprints, fingerprint) >= 0;
    }

    @Override
    public Long get(Object key) {
        if (!(key instanceof Long fingerprint)) {
            return null;
        }
        int at = Arrays.binarySearch(fingerprints, fingerprint);
        return at >= 0 ? sequences[at] : null;
    }

    @Override
    public Set<Entry<Long, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Long, Long>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < fingerprints.length;
                    }

                    @Override
                    public Entry<Long, Long> next() {
                        if (next >= fingerprints.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<Long, Long> entry = new SimpleImmutableEntry<>(fingerprints[next], sequences[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return fingerprints.length;
            }
        };
    }
}
