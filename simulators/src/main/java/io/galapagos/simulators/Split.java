package io.galapagos.simulators;

import java.util.Locale;

/** The workload splits of a task: a tiny smoke test, the runs selection sees, and a held-out test set. */
public enum Split {
    SMOKE, TRAIN, TEST;

    /** Parses {@code smoke|train|test} in any case. */
    public static Split parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown split '" + text + "' (expected smoke, train or test)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
