package io.galapagos.controller.report;

import java.util.HashSet;
import java.util.Set;

/**
 * Which outcomes of a run a file holds: a kind, an island and a proposal sequence per key (a candidate's
 * id is {@code <island>/<sequence>}). A run's output folder holds one run, whose islands are numbered
 * ({@code <run>/<n>}): such a key is one long in an open-addressing table, some 16 bytes, where a set of
 * texts took a hundred per line of a long run's log. Keys of islands named otherwise are kept as text.
 */
final class OutcomeKeys {

    enum Kind { CANDIDATE, TEST, FAILED, ROW }

    private static final int ISLAND_BITS = 20;
    private static final int SEQUENCE_BITS = 40;

    /** Zero marks a free slot: every packed key has its kind's bits set. */
    private long[] slots = new long[256];
    private int packed;
    private final Set<String> named = new HashSet<>();

    /** Adds the key; whether it was new. */
    boolean add(Kind kind, String island, long sequence) {
        long key = pack(kind, island, sequence);
        if (key == 0) {
            return named.add(kind + ":" + island + "/" + sequence);
        }
        if (2 * (packed + 1) > slots.length) {
            grow();
        }
        if (!insert(slots, key)) {
            return false;
        }
        packed++;
        return true;
    }

    boolean contains(Kind kind, String island, long sequence) {
        long key = pack(kind, island, sequence);
        if (key == 0) {
            return named.contains(kind + ":" + island + "/" + sequence);
        }
        int mask = slots.length - 1;
        for (int at = slot(key, mask); slots[at] != 0; at = (at + 1) & mask) {
            if (slots[at] == key) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return packed + named.size();
    }

    /** Adds the key of candidate {@code candidateId}, which is {@code <island>/<sequence>}; whether it was new. */
    boolean addCandidate(Kind kind, String candidateId) {
        int slash = candidateId.lastIndexOf('/');
        long sequence = slash < 0 ? -1 : number(candidateId, slash + 1);
        return sequence >= 0 ? add(kind, candidateId.substring(0, slash), sequence) : named.add(kind + ":" + candidateId);
    }

    private static boolean insert(long[] table, long key) {
        int mask = table.length - 1;
        int at = slot(key, mask);
        while (table[at] != 0) {
            if (table[at] == key) {
                return false;
            }
            at = (at + 1) & mask;
        }
        table[at] = key;
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long key : old) {
            if (key != 0) {
                insert(slots, key);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The key as one long, or 0 when the island is not numbered or the numbers do not fit. */
    private static long pack(Kind kind, String island, long sequence) {
        long islandNo = number(island, island.lastIndexOf('/') + 1);
        if (islandNo < 0 || islandNo >= 1L << ISLAND_BITS || sequence < 0 || sequence >= 1L << SEQUENCE_BITS) {
            return 0;
        }
        return ((long) (kind.ordinal() + 1) << (ISLAND_BITS + SEQUENCE_BITS)) | (islandNo << SEQUENCE_BITS) | sequence;
    }

    /** The decimal number {@code text} holds from {@code from} to its end; -1 if it is none or too long. */
    private static long number(String text, int from) {
        int length = text.length() - from;
        if (length < 1 || length > 15) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
