package io.galapagos.simulators.telemetry;

/**
 * A candidate's answer for one counter.
 *
 * @param measured   the value the candidate was given (not scored)
 * @param repaired   the candidate's estimate of the true rate; finite and non-negative
 * @param confidence how sure the candidate is that {@code repaired} is right, in [0, 1]
 */
public record CounterRepair(double measured, double repaired, double confidence) {
}
