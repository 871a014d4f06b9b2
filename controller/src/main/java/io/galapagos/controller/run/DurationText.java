package io.galapagos.controller.run;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Durations as people write and read them: HOCON's {@code 90m}, {@code 2h}, {@code 30s} in flags and
 * configuration, with {@code off} for no limit ({@link io.galapagos.protocol.Durations} writes them).
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
}
