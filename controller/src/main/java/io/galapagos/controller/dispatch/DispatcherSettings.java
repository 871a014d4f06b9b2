package io.galapagos.controller.dispatch;

import java.time.Duration;

/**
 * The {@code galapagos.dispatcher} section.
 *
 * @param jobTimeout        a job without a result after this long goes back to the queue
 * @param maxAttempts       a candidate whose evaluation failed this many workers is quarantined
 * @param rememberedResults results kept after delivery, so that a resubmission is answered without a second evaluation
 */
public record DispatcherSettings(Duration jobTimeout, int maxAttempts, int rememberedResults) {

    public DispatcherSettings {
        if (jobTimeout.isNegative() || jobTimeout.isZero()) {
            throw new IllegalArgumentException("job-timeout must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1, not " + maxAttempts);
        }
        if (rememberedResults < 0) {
            throw new IllegalArgumentException("remembered-results must not be negative");
        }
    }
}
