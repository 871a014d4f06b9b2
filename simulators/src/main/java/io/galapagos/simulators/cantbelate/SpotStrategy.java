package io.galapagos.simulators.cantbelate;

/** A single-region scheduling policy: called once per tick, returns the cluster type for the next tick. */
public interface SpotStrategy {
    ClusterType step(SpotEnv env, ClusterType lastClusterType, boolean hasSpot);
}
