package io.galapagos.controller.dispatch;

import java.time.Duration;

/**
 * The {@code galapagos.dispatcher} section.
 *
 * @param jobTimeout        a job without a result after this long goes back to the queue
 * @param maxAttempts       a candidate whose evaluation failed this many workers is quarantined
 * @param rememberedResults results kept after delivery, so that a resubmission is answered without a second evaluation
 * @param workerQuarantineAfter a worker that misses this many job deadlines in a row gets no jobs for a while; 0 = never
 * @param workerQuarantine  how long such a worker gets no jobs
 */
public record DispatcherSettings(Duration jobTimeout, int maxAttempts, int rememberedResults, int workerQuarantineAfter,
                                 Duration workerQuarantine) {

    /** Settings without worker quarantine. */
    public DispatcherSettings(Duration jobTimeout, int maxAttempts, int rememberedResults) {
        this(jobTimeout, maxAttempts, rememberedResults, 0, Duration.ofMinutes(10));
    }

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
        if (workerQuarantineAfter < 0) {
            throw new IllegalArgumentException("worker-quarantine-after must be 0 (never) or positive, not " + workerQuarantineAfter);
        }
        if (workerQuarantine.isNegative() || workerQuarantine.isZero()) {
            throw new IllegalArgumentException("worker-quarantine must be positive");
        }
    }
}
