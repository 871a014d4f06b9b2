package io.galapagos.simulators.cantbelate;

/**
 * Result of one simulation run.
 *
 * @param cost        dollars billed
 * @param finalTick   the environment's tick after the run (completion at {@code (finalTick - 2) * gap})
 * @param finalRegion region current after the last decision (always 0 in the single-region task)
 * @param switches    number of region changes the candidate made
 */
record RunOutcome(double cost, long finalTick, int finalRegion, int switches) {

    /** Whether the job finished after the deadline (the original has no penalty for it). */
    boolean missedDeadline(double gapSeconds, double deadlineSeconds) {
        return (finalTick - 2) * gapSeconds > deadlineSeconds;
    }
}
