package io.galapagos.simulators.cloudcast;

/** A broadcast plan that breaks the task's rules; package-private so that no candidate can throw it. */
final class PlanViolation extends Exception {
    PlanViolation(String message) {
        super(message);
    }
}
