package io.galapagos.controller.run;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Durations as people write and read them: HOCON's {@code 90m}, {@code 2h}, {@code 30s} in flags and
 * configuration, with {@code off} for no limit, and {@code 12m 30s} in messages.
 */
public final class DurationText {

    private DurationText() {
    }

    /**
     * Reads a budget: a HOCON duration, or {@code off}/{@code none}/{@code 0} for no limit (empty).
     *
     * @throws IllegalArgumentException naming {@code what} and the text, with an example
     */
    public static Optional<Duration> parseBudget(String what, String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("off") || trimmed.equals("none") || trimmed.equals("false") || trimmed.equals("no")) {
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(trimmed)).getDuration("d");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration; write e.g. 90m, 2h or 30s, or off");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + ": '" + text + "' is negative; write e.g. 90m, 2h or 30s, or off");
        }
        return duration.isZero() ? Optional.empty() : Optional.of(duration);
    }

    /** {@code 1h 5m}, {@code 12m 30s}, {@code 45s}, {@code 0.4s}: the two largest units, no zero parts. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + "d" + (hours > 0 ? " " + hours + "h" : "");
        } else if (hours > 0) {
            return hours + "h" + (minutes > 0 ? " " + minutes + "m" : "");
        } else if (minutes > 0) {
            return minutes + "m" + (secs > 0 ? " " + secs + "s" : "");
        }
        return secs + "s";
    }
}
