import io.galapagos.simulators.cantbelate.ClusterType;
import io.galapagos.simulators.cantbelate.MultiRegionEnv;
import io.galapagos.simulators.cantbelate.MultiRegionStrategy;

/**
 * Round robin: behind the straight line from zero to the deadline, take spot if it is here, otherwise
 * on-demand; ahead of it, take spot if it is here, otherwise move to the next region and wait a tick.
 */
public class RoundRobin implements MultiRegionStrategy {
    // EVOLVE-BLOCK-START
    @Override
    public ClusterType step(MultiRegionEnv env, ClusterType lastClusterType, boolean hasSpot) {
        double duration = env.taskDurationSeconds();
        double deadline = env.deadlineSeconds();
        double done = env.workDoneSeconds();
        if (Math.max(0, duration - done) <= 1e-8) {
            return ClusterType.NONE;
        }
        double t = env.elapsedSeconds();
        boolean behind;
        if (deadline <= t) {
            behind = true;
        } else if (t == 0) {
            behind = false;
        } else {
            behind = duration - (duration - done) < t * (duration / deadline);
        }
        if (behind) {
            return hasSpot ? ClusterType.SPOT : ClusterType.ON_DEMAND;
        }
        if (hasSpot) {
            return ClusterType.SPOT;
        }
        env.switchRegion((env.currentRegion() + 1) % env.regionCount());
        return ClusterType.NONE;
    }
    // EVOLVE-BLOCK-END
}
