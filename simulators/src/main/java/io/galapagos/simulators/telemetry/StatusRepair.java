package io.galapagos.simulators.telemetry;

/**
 * A candidate's answer for an interface's status.
 *
 * @param measured   the status the candidate was given (not scored)
 * @param repaired   the candidate's estimate of the true status ({@code "up"} or {@code "down"})
 * @param confidence how sure the candidate is, in [0, 1] (not scored)
 */
public record StatusRepair(String measured, String repaired, double confidence) {
}
