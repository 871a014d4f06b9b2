package io.galapagos.worker.sandbox.testtask;

/** Candidate interface of the test task: how much to release at each tick (0 to 10). */
public interface Ticker {
    Integer step(int tick);
}
