package io.galapagos.controller.generation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a generator can propose now.
 *
 * @param until  for {@link Status#PAUSED} by an open endpoint circuit: when the next probe is allowed
 * @param reason one line for the progress display; empty when ready
 */
public record GeneratorHealth(Status status, Optional<Instant> until, String reason) {

    public enum Status {
        /** Proposals go out. */
        READY,
        /** Temporarily unable: every model's endpoint keeps failing, or the budget waits for calls in flight. */
        PAUSED,
        /** The USD budget is spent: the run should stop proposing for good. */
        BUDGET_EXHAUSTED
    }

    public GeneratorHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
    }

    public static GeneratorHealth ready() {
        return new GeneratorHealth(Status.READY, Optional.empty(), "");
    }

    public static GeneratorHealth paused(Optional<Instant> until, String reason) {
        return new GeneratorHealth(Status.PAUSED, until, reason);
    }

    public static GeneratorHealth exhausted(String reason) {
        return new GeneratorHealth(Status.BUDGET_EXHAUSTED, Optional.empty(), reason);
    }

    public boolean isReady() {
        return status == Status.READY;
    }
}
