package io.galapagos.simulators.telemetry;

/**
 * One interface of a snapshot before corruption: its counters as reported and its true rates
 * (the ground truth the candidate never sees).
 */
record ReferenceInterface(String id, InterfaceCounters counters, double trueRx, double trueTx) {

    static final String TRUE_STATUS = "up";
}
