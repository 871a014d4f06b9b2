package io.galapagos.simulators.txn;

/** A schedule that breaks the task's rules; package-private so that no candidate can throw it. */
final class ScheduleViolation extends Exception {
    ScheduleViolation(String message) {
        super(message);
    }
}
