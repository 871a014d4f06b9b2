package io.galapagos.simulators.prism;

/** A placement that breaks the task's rules; package-private so that no candidate can throw it. */
final class PlacementViolation extends Exception {
    PlacementViolation(String message) {
        super(message);
    }
}
