package io.galapagos.protocol;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them on a console: "850 ms", "4.2 s", "45 s", "12m 30s", "1h 02m", "2d 03h". */
public final class Durations {

    private Durations() {
    }

    /** The duration rounded to its two largest units; negative durations print as "0 ms". */
    public static String format(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 10_000) {
            // a tenth of a second still matters this short
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        long minutes = Math.round(seconds / 60.0);
        if (minutes < 24 * 60) {
            return String.format(Locale.ROOT, "%dh %02dm", minutes / 60, minutes % 60);
        }
        long hours = Math.round(minutes / 60.0);
        return String.format(Locale.ROOT, "%dd %02dh", hours / 24, hours % 24);
    }

    /** {@link #format(Duration)} of a number of milliseconds. */
    public static String formatMillis(long millis) {
        return format(Duration.ofMillis(millis));
    }
}
