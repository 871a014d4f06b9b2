package io.galapagos.simulators.llmsql;

import java.util.TreeSet;

/**
 * The prefix-cache metric (llm-sql.md L4): each row's prompt string is the concatenation of its cell
 * texts; its hit is the longest common prefix with any earlier row. Computed sequentially with the
 * earlier strings in a sorted set, whose lexicographic neighbours attain the longest prefix.
 */
final class PrefixHits {

    private final TreeSet<String> earlier = new TreeSet<>();
    private long hits;
    private long total;
    private long rowsWithoutHit;

    void add(String row) {
        int hit = 0;
        String below = earlier.floor(row);
        if (below != null) {
            hit = commonPrefix(row, below);
        }
        String above = earlier.ceiling(row);
        if (above != null) {
            hit = Math.max(hit, commonPrefix(row, above));
        }
        earlier.add(row);
        hits += hit;
        total += row.codePointCount(0, row.length());
        if (hit == 0) {
            rowsWithoutHit++;
        }
    }

    /** Common prefix in code points (beer and most tables are BMP-only, where chars are code points). */
    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1)) && i < n) {
            i--; // a surrogate pair that differs in its low half is not a common character
        }
        return a.codePointCount(0, i);
    }

    long hits() {
        return hits;
    }

    long total() {
        return total;
    }

    long rowsWithoutHit() {
        return rowsWithoutHit;
    }

    /** The original evaluator's percent round trip: {@code (hits / total * 100) / 100}. */
    double hitRate() {
        return total == 0 ? 0.0 : (((double) hits / total) * 100) / 100;
    }
}
