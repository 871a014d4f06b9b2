package io.galapagos.controller;

import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

import java.time.Duration;

/**
 * How a run or an island restarts after its journal failed a write or a recovery (the database went
 * away): after {@code min}, doubling up to {@code max}, each delay varied by up to {@code randomFactor}.
 * Pekko would stop the entity instead, and sharding would restart it only when messaged.
 */
public record RestartBackoff(Duration min, Duration max, double randomFactor) {

    public RestartBackoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("galapagos.persistence.restart-backoff: min must be positive and max at least min"
                    + " (min " + min.toMillis() + " ms, max " + max.toMillis() + " ms)");
        }
        if (randomFactor < 0 || randomFactor > 1) {
            throw new IllegalArgumentException("galapagos.persistence.restart-backoff.random-factor must be between 0 and 1, not "
                    + randomFactor);
        }
    }

    public BackoffSupervisorStrategy strategy() {
        return SupervisorStrategy.restartWithBackoff(min, max, randomFactor);
    }
}
