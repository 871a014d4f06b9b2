package io.galapagos.simulators.cantbelate;

/** A multi-region scheduling policy: may switch region, then returns the cluster type for the next tick. */
public interface MultiRegionStrategy {
    ClusterType step(MultiRegionEnv env, ClusterType lastClusterType, boolean hasSpot);
}
