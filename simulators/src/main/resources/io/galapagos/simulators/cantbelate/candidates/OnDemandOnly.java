import io.galapagos.simulators.cantbelate.ClusterType;
import io.galapagos.simulators.cantbelate.SpotEnv;
import io.galapagos.simulators.cantbelate.SpotStrategy;

/** Always on-demand: never late, never cheap. The upper bound any policy should beat. */
public class OnDemandOnly implements SpotStrategy {
    // EVOLVE-BLOCK-START
    @Override
    public ClusterType step(SpotEnv env, ClusterType lastClusterType, boolean hasSpot) {
        if (env.workDoneSeconds() >= env.taskDurationSeconds()) {
            return ClusterType.NONE;
        }
        return ClusterType.ON_DEMAND;
    }
    // EVOLVE-BLOCK-END
}
