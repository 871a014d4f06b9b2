import io.galapagos.simulators.cantbelate.ClusterType;
import io.galapagos.simulators.cantbelate.MultiRegionEnv;
import io.galapagos.simulators.cantbelate.MultiRegionStrategy;

/** Always on-demand in the first region: never late, never cheap. */
public class MultiRegionOnDemand implements MultiRegionStrategy {
    // EVOLVE-BLOCK-START
    @Override
    public ClusterType step(MultiRegionEnv env, ClusterType lastClusterType, boolean hasSpot) {
        if (env.workDoneSeconds() >= env.taskDurationSeconds()) {
            return ClusterType.NONE;
        }
        return ClusterType.ON_DEMAND;
    }
    // EVOLVE-BLOCK-END
}
