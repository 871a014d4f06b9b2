package io.galapagos.simulators.llmsql;

import io.galapagos.simulators.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/**
 * Seeded review tables shaped like the published beer reviews: a reviewer (heavy-tailed activity),
 * a Unix time, four ratings that follow the item's quality, the item's style, and an item id with
 * its name (one-to-one, the merge group). Repeated prefixes come from popular items and styles.
 */
final class SyntheticTables {

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "to", "sha", "vel", "dor", "pin", "qua",
            "bri", "ston", "mar", "el", "sun", "gri", "hol", "tan", "vik", "zu"};
    private static final String[] STYLE_WORDS = {"Pale", "Amber", "Dark", "Imperial", "Session", "Smoked", "Sour",
            "Golden", "Brown", "Red", "Wheat", "Farmhouse"};
    private static final String[] STYLE_KINDS = {"Ale", "Lager", "Stout", "Porter", "Bock", "Saison", "Pilsner", "IPA"};
    static final List<String> COLUMNS = List.of("review/profileName", "review/time", "review/overall", "review/taste",
            "review/palate", "review/appearance", "item/style", "item/id", "item/name");
    static final List<List<String>> MERGES = List.of(List.of("item/id", "item/name"));

    private SyntheticTables() {
    }

    static Dataset reviews(String name, long seed, int rows) {
        SplitMix64 rng = new SplitMix64(seed);
        int reviewers = Math.max(5, rows / 6);
        int items = Math.max(5, rows / 15);
        int styles = Math.max(3, Math.min(60, items / 4));
        List<String> reviewerNames = new ArrayList<>();
        for (int i = 0; i < reviewers; i++) {
            reviewerNames.add(word(rng, 2, 4) + (rng.below(3) == 0 ? Integer.toString(rng.below(100)) : ""));
        }
        List<String> styleNames = new ArrayList<>();
        for (int i = 0; i < styles; i++) {
            styleNames.add(STYLE_WORDS[rng.below(STYLE_WORDS.length)] + " " + STYLE_KINDS[rng.below(STYLE_KINDS.length)]
                    + (i >= STYLE_WORDS.length ? " " + capitalised(word(rng, 1, 2)) : ""));
        }
        String[] itemName = new String[items];
        int[] itemStyle = new int[items];
        int[] itemQuality = new int[items];
        long[] itemId = new long[items];
        for (int i = 0; i < items; i++) {
            String brewery = capitalised(word(rng, 2, 3));
            itemStyle[i] = skewed(rng, styles);
            itemName[i] = brewery + " " + capitalised(word(rng, 1, 3)) + " " + styleNames.get(itemStyle[i]);
            itemQuality[i] = rng.below(5);
            itemId[i] = 1000 + (long) i * 37 + rng.below(37);
        }
        String[][] cells = new String[rows][];
        for (int r = 0; r < rows; r++) {
            int item = skewed(rng, items);
            int q = itemQuality[item];
            cells[r] = new String[] {
                    reviewerNames.get(skewed(rng, reviewers)),
                    Long.toString(1_000_000_000L + 86_400L * rng.below(4000)),
                    rating(rng, q, 5),
                    rating(rng, q, 5),
                    rating(rng, q, 5),
                    rating(rng, q, 10),
                    styleNames.get(itemStyle[item]),
                    Long.toString(itemId[item]),
                    itemName[item]};
        }
        List<ColumnType> types = List.of(ColumnType.STRING, ColumnType.INT, ColumnType.STRING, ColumnType.STRING,
                ColumnType.STRING, ColumnType.STRING, ColumnType.STRING, ColumnType.INT, ColumnType.STRING);
        return new Dataset(name, new Table(name, COLUMNS, types, cells), MERGES);
    }

    /** A rating {@code k/scale} around the item's quality. */
    private static String rating(SplitMix64 rng, int quality, int scale) {
        int base = 1 + quality * (scale - 1) / 4;
        int k = Math.max(1, Math.min(scale, base + rng.below(3) - 1));
        return k + "/" + scale;
    }

    /** Heavy-tailed index in [0, n): popular reviewers and items recur. */
    private static int skewed(SplitMix64 rng, int n) {
        double u = rng.nextDouble();
        return Math.min(n - 1, (int) (n * u * u * u));
    }

    private static String word(SplitMix64 rng, int minSyllables, int maxSyllables) {
        StringBuilder w = new StringBuilder();
        int count = minSyllables + rng.below(maxSyllables - minSyllables + 1);
        for (int s = 0; s < count; s++) {
            w.append(SYLLABLES[rng.below(SYLLABLES.length)]);
        }
        return w.toString();
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
