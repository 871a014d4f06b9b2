package io.galapagos.controller.island;

import io.galapagos.controller.generation.SourceLanguage;
import io.galapagos.controller.generation.SourceTokens;

import java.util.Arrays;
import java.util.List;

/**
 * How alike two programs are, from 0 to 1: the Jaccard similarity of the sets of their token
 * trigrams ({@link SourceTokens}, so comments and layout do not count). One changed token of a
 * 600-token program leaves about 0.99; a renamed variable used ten times about 0.95.
 */
public final class CodeSimilarity {

    static final int GRAM = 3;

    /** A program's trigrams, each as a 64-bit hash, sorted and distinct: about 8 bytes per token. */
    public record Shingles(long[] hashes) {
    }

    /** Trigrams of programs seen lately (about 8 KB each for a 1,000-token program). */
    private static final SourceMemo<Shingles> RECENT = new SourceMemo<>(256, CodeSimilarity::compute);

    private CodeSimilarity() {
    }

    /** The trigrams of {@code code}; remembered for the programs seen lately, which are not to be changed. */
    public static Shingles shingles(String code, SourceLanguage language) {
        return RECENT.get(code, language);
    }

    private static Shingles compute(String code, SourceLanguage language) {
        List<String> tokens = SourceTokens.of(code, language);
        if (tokens.size() < GRAM) {
            return new Shingles(new long[]{hash(tokens, 0, tokens.size())});
        }
        long[] hashes = new long[tokens.size() - GRAM + 1];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = hash(tokens, i, i + GRAM);
        }
        return new Shingles(Arrays.stream(hashes).sorted().distinct().toArray());
    }

    public static double of(Shingles a, Shingles b) {
        long[] x = a.hashes();
        long[] y = b.hashes();
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < x.length && j < y.length) {
            if (x[i] == y[j]) {
                common++;
                i++;
                j++;
            } else if (x[i] < y[j]) {
                i++;
            } else {
                j++;
            }
        }
        int union = x.length + y.length - common;
        return union == 0 ? 1.0 : (double) common / union;
    }

    private static long hash(List<String> tokens, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int k = from; k < to; k++) {
            String token = tokens.get(k);
            for (int c = 0; c < token.length(); c++) {
                h = (h ^ token.charAt(c)) * 0x100000001b3L;
            }
            h = (h ^ 0xFFFF) * 0x100000001b3L; // token boundary
        }
        return h;
    }
}
