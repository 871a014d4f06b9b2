package io.galapagos.controller.generation;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Retries of one call on 429, 5xx, timeouts and connection failures: exponential backoff with jitter,
 * or the server's {@code Retry-After} when it sends one (capped at {@code maxRetryAfter}).
 *
 * @param maxAttempts requests per call, the first included
 * @param jitter      each backoff is scaled by a random factor in {@code [1 - jitter, 1 + jitter]}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter,
        Duration maxRetryAfter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within [0, 1]");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and maxRetryAfter >= 0");
        }
    }

    /** The retries of the controller's {@code reference.conf}, the one source of their defaults. */
    public static RetryPolicy defaults() {
        return GenerationConfig.defaultRetry();
    }

    /** Delay before attempt {@code failedAttempts + 1}. */
    public Duration backoff(int failedAttempts, SplittableRandom random) {
        double base = initialBackoff.toMillis() * Math.pow(2, failedAttempts - 1);
        double capped = Math.min(base, maxBackoff.toMillis());
        double factor = 1 - jitter + 2 * jitter * random.nextDouble();
        return Duration.ofMillis(Math.round(capped * factor));
    }
}
