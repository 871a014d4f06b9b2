package io.galapagos.controller.island;

import java.time.Duration;

/**
 * How often an island reports its counters to the run and submits its unevaluated candidates again: a
 * setting of the node that hosts it ({@code galapagos.islands.progress-interval} and
 * {@code resubmit-interval}), not of the run, so a resumed or moved island takes the current values.
 */
public record IslandTimers(Duration progressInterval, Duration resubmitInterval) {

    public IslandTimers {
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progress-interval must be positive, not " + progressInterval);
        }
        if (resubmitInterval.isNegative() || resubmitInterval.isZero()) {
            throw new IllegalArgumentException("resubmit-interval must be positive, not " + resubmitInterval);
        }
    }
}
