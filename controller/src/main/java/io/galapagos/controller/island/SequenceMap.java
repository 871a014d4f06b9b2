package io.galapagos.controller.island;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map from proposal sequences, in sequence order: the island's outcomes waiting for their turn
 * and its proposals due, a few dozen entries at most, changed at nearly every event. {@link #with} and
 * {@link #without} copy two small arrays, where a {@code Map.copyOf} of a copied {@code HashMap} hashed every
 * entry twice. A {@code Map} to Jackson, so the journal and snapshots keep their format. No null values.
 */
final class SequenceMap<V> extends AbstractMap<Long, V> {

    private static final SequenceMap<?> EMPTY = new SequenceMap<>(new long[0], new Object[0]);

    /** Sorted sequences and, at the same index, their values. */
    private final long[] keys;
    private final Object[] values;

    private SequenceMap(long[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    static <V> SequenceMap<V> empty() {
        return (SequenceMap<V>) EMPTY;
    }

    /** {@code map} itself when it is one, else its entries in sequence order. */
    static <V> SequenceMap<V> of(Map<Long, V> map) {
        if (map instanceof SequenceMap<V> sequences) {
            return sequences;
        }
        long[] keys = new long[map.size()];
        int i = 0;
        for (Long key : map.keySet()) {
            keys[i++] = key;
        }
        Arrays.sort(keys);
        Object[] values = new Object[keys.length];
        for (i = 0; i < keys.length; i++) {
            values[i] = Objects.requireNonNull(map.get(keys[i]), "value");
        }
        return new SequenceMap<>(keys, values);
    }

    /** These entries with {@code value} at {@code sequence}, in place of any there. */
    SequenceMap<V> with(long sequence, V value) {
        Objects.requireNonNull(value, "value");
        int at = Arrays.binarySearch(keys, sequence);
        if (at >= 0) {
            Object[] changed = values.clone();
            changed[at] = value;
            return new SequenceMap<>(keys, changed);
        }
        int insert = -at - 1;
        long[] newKeys = new long[keys.length + 1];
        Object[] newValues = new Object[keys.length + 1];
        System.arraycopy(keys, 0, newKeys, 0, insert);
        System.arraycopy(values, 0, newValues, 0, insert);
        newKeys[insert] = sequence;
        newValues[insert] = value;
        System.arraycopy(keys, insert, newKeys, insert + 1, keys.length - insert);
        System.arraycopy(values, insert, newValues, insert + 1, keys.length - insert);
        return new SequenceMap<>(newKeys, newValues);
    }

    /** These entries without {@code sequence}'s. */
    SequenceMap<V> without(long sequence) {
        int at = Arrays.binarySearch(keys, sequence);
        if (at < 0) {
            return this;
        }
        long[] newKeys = new long[keys.length - 1];
        Object[] newValues = new Object[keys.length - 1];
        System.arraycopy(keys, 0, newKeys, 0, at);
        System.arraycopy(values, 0, newValues, 0, at);
        System.arraycopy(keys, at + 1, newKeys, at, keys.length - at - 1);
        System.arraycopy(values, at + 1, newValues, at, keys.length - at - 1);
        return new SequenceMap<>(newKeys, newValues);
    }

    /** Whether a sequence below {@code sequence} has an entry. */
    boolean anyBelow(long sequence) {
        return keys.length > 0 && keys[0] < sequence;
    }

    /** The value at {@code sequence}; null when it has none. */
    @SuppressWarnings("unchecked")
    V at(long sequence) {
        int at = Arrays.binarySearch(keys, sequence);
        return at >= 0 ? (V) values[at] : null;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Long sequence && Arrays.binarySearch(keys, sequence) >= 0;
    }

    @Override
    public V get(Object key) {
        return key instanceof Long sequence ? at(sequence) : null;
    }

    @Override
    public Set<Entry<Long, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Long, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<Long, V> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<Long, V> entry = new SimpleImmutableEntry<>(keys[next], (V) values[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
