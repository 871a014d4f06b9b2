package io.galapagos.controller.island;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The first candidate (its sequence) with each program, by {@link CodeFingerprint}, among the latest
 * {@link #REMEMBERED} or so distinct programs an island proposed: the repeat check. A program proposed before
 * those is evaluated again if it comes back (a prompt's own programs are caught by the generator's check of
 * what it was shown), so neither an island's heap nor its snapshots grow with the length of its run.
 *
 * <p>Immutable, 16 bytes an entry, in the order the island proposed the programs (sequence order: it decides
 * its proposals in that order): full blocks of {@link #BLOCK} entries, each two sorted primitive arrays shared
 * by every later instance, then the block being filled as a larger sorted part and a small newest one.
 * {@link #with} copies only the small part, and merges it into the larger one when it is full, so an entry
 * costs a few hundred bytes of copying whatever the size. When more than {@link #BLOCKS} full blocks are kept
 * the oldest goes, whole. A {@code Map} to Jackson, so the journal and snapshots keep their format; read
 * back ({@link #of}), the entries go in again in sequence order, which gives the same blocks, since a
 * snapshot's entries start at a block's first.
 */
final class ProgramFingerprints extends AbstractMap<Long, Long> {

    /** Entries in a full block. */
    static final int BLOCK = 4_096;
    /** Full blocks kept. */
    static final int BLOCKS = 8;
    /** Distinct programs remembered at least (and fewer than a block more). */
    static final int REMEMBERED = BLOCK * BLOCKS;
    /** Entries in the newest part before it is merged into the block being filled. */
    private static final int NEWEST = 64;

    static final ProgramFingerprints EMPTY = new ProgramFingerprints(new Part[0], Part.EMPTY, Part.EMPTY);

    /** Sorted fingerprints and, at the same index, the sequence that first had each. */
    private record Part(long[] fingerprints, long[] sequences) {
        static final Part EMPTY = new Part(new long[0], new long[0]);

        int size() {
            return fingerprints.length;
        }

        int find(long fingerprint) {
            return Arrays.binarySearch(fingerprints, fingerprint);
        }

        Part with(long fingerprint, long sequence, int insert) {
            int size = size();
            long[] keys = new long[size + 1];
            long[] values = new long[size + 1];
            System.arraycopy(fingerprints, 0, keys, 0, insert);
            System.arraycopy(sequences, 0, values, 0, insert);
            keys[insert] = fingerprint;
            values[insert] = sequence;
            System.arraycopy(fingerprints, insert, keys, insert + 1, size - insert);
            System.arraycopy(sequences, insert, values, insert + 1, size - insert);
            return new Part(keys, values);
        }

        /** Both parts' entries, sorted; they have no fingerprint in common. */
        Part merged(Part other) {
            int size = size() + other.size();
            long[] keys = new long[size];
            long[] values = new long[size];
            int a = 0;
            int b = 0;
            for (int i = 0; i < size; i++) {
                boolean fromThis = b >= other.size() || (a < size() && fingerprints[a] < other.fingerprints[b]);
                if (fromThis) {
                    keys[i] = fingerprints[a];
                    values[i] = sequences[a++];
                } else {
                    keys[i] = other.fingerprints[b];
                    values[i] = other.sequences[b++];
                }
            }
            return new Part(keys, values);
        }
    }

    /** Full blocks, oldest first. */
    private final Part[] blocks;
    private final Part filling;
    private final Part newest;

    private ProgramFingerprints(Part[] blocks, Part filling, Part newest) {
        this.blocks = blocks;
        this.filling = filling;
        this.newest = newest;
    }

    /** {@code map} itself when it is one, else its entries put in one by one in the order of their sequences. */
    static ProgramFingerprints of(Map<Long, Long> map) {
        if (map instanceof ProgramFingerprints fingerprints) {
            return fingerprints;
        }
        List<Entry<Long, Long>> entries = map.entrySet().stream()
                .sorted(Comparator.comparing((Entry<Long, Long> e) -> e.getValue()).thenComparing(Entry::getKey))
                .toList();
        ProgramFingerprints fingerprints = EMPTY;
        for (Entry<Long, Long> entry : entries) {
            fingerprints = fingerprints.with(entry.getKey(), entry.getValue());
        }
        return fingerprints;
    }

    /** These entries and {@code fingerprint} first proposed at {@code sequence}, unless it has an entry already. */
    ProgramFingerprints with(long fingerprint, long sequence) {
        if (sequenceOf(fingerprint) != null) {
            return this;
        }
        Part newer = newest.with(fingerprint, sequence, -newest.find(fingerprint) - 1);
        if (newer.size() < NEWEST && filling.size() + newer.size() < BLOCK) {
            return new ProgramFingerprints(blocks, filling, newer);
        }
        Part filled = filling.merged(newer);
        if (filled.size() < BLOCK) {
            return new ProgramFingerprints(blocks, filled, Part.EMPTY);
        }
        int from = blocks.length >= BLOCKS ? blocks.length - BLOCKS + 1 : 0;
        Part[] kept = Arrays.copyOfRange(blocks, from, blocks.length + 1);
        kept[kept.length - 1] = filled;
        return new ProgramFingerprints(kept, Part.EMPTY, Part.EMPTY);
    }

    private Long sequenceOf(long fingerprint) {
        int at = newest.find(fingerprint);
        if (at >= 0) {
            return newest.sequences[at];
        }
        at = filling.find(fingerprint);
        if (at >= 0) {
            return filling.sequences[at];
        }
        for (int b = blocks.length - 1; b >= 0; b--) {
            at = blocks[b].find(fingerprint);
            if (at >= 0) {
                return blocks[b].sequences[at];
            }
        }
        return null;
    }

    @Override
    public int size() {
        int size = newest.size() + filling.size();
        for (Part block : blocks) {
            size += block.size();
        }
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Long fingerprint && sequenceOf(fingerprint) != null;
    }

    @Override
    public Long get(Object key) {
        return key instanceof Long fingerprint ? sequenceOf(fingerprint) : null;
    }

    /**
     * Writes the entries as Jackson writes a {@code Map<Long, Long>} (the fingerprint as a field id: a number in
     * CBOR; the sequence as a number), in the same order, without an entry object and two boxed longs each:
     * every snapshot of an island writes them all. Any other map, or sorted map entries, Jackson's own way.
     */
    static final class Json extends StdSerializer<Map<Long, Long>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Json() {
            super((Class) Map.class);
        }

        @Override
        public void serialize(Map<Long, Long> value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (!(value instanceof ProgramFingerprints fingerprints)
                    || provider.isEnabled(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)) {
                provider.findValueSerializer(provider.getTypeFactory().constructMapType(Map.class, Long.class,
                        Long.class), null).serialize(value, gen, provider);
                return;
            }
            gen.writeStartObject(value);
            for (Part part : fingerprints.parts()) {
                for (int i = 0; i < part.size(); i++) {
                    gen.writeFieldId(part.fingerprints[i]);
                    gen.writeNumber(part.sequences[i]);
                }
            }
            gen.writeEndObject();
        }
    }

    /** The parts in the order of {@link #entrySet}: the full blocks, oldest first, then the filling and newest parts. */
    private Part[] parts() {
        Part[] parts = Arrays.copyOf(blocks, blocks.length + 2);
        parts[blocks.length] = filling;
        parts[blocks.length + 1] = newest;
        return parts;
    }

    @Override
    public Set<Entry<Long, Long>> entrySet() {
        Part[] parts = parts();
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Long, Long>> iterator() {
                return new Iterator<>() {
                    private int part;
                    private int next;

                    @Override
                    public boolean hasNext() {
                        while (part < parts.length && next >= parts[part].size()) {
                            part++;
                            next = 0;
                        }
                        return part < parts.length;
                    }

                    @Override
                    public Entry<Long, Long> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Part at = parts[part];
                        Entry<Long, Long> entry = new SimpleImmutableEntry<>(at.fingerprints[next], at.sequences[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return ProgramFingerprints.this.size();
            }
        };
    }
}
