package io.galapagos.simulators.noop;

/** The candidate of the benchmark task: one number. */
public interface NoopCandidate {
    double value();
}
