import io.galapagos.simulators.cantbelate.ClusterType;
import io.galapagos.simulators.cantbelate.SpotEnv;
import io.galapagos.simulators.cantbelate.SpotStrategy;

/**
 * Uniform Progress (Wu et al., NSDI'24): keep progress on or above the straight line from zero to the
 * whole task at the deadline; take spot whenever it is there, fall back to on-demand when behind.
 */
public class UniformProgress implements SpotStrategy {
    // EVOLVE-BLOCK-START
    @Override
    public ClusterType step(SpotEnv env, ClusterType lastClusterType, boolean hasSpot) {
        double duration = env.taskDurationSeconds();
        double deadline = env.deadlineSeconds();
        double overhead = env.restartOverheadSeconds();
        double gap = env.gapSeconds();
        double t = env.elapsedSeconds();
        double workLeft = duration - env.workDoneSeconds();
        double done = duration - workLeft;

        if (workLeft <= 1e-3) {
            return ClusterType.NONE;
        }
        ClusterType decision = hasSpot ? ClusterType.SPOT : ClusterType.NONE;
        // behind the uniform-progress line
        if (t * duration / deadline - done > 0) {
            decision = hasSpot ? ClusterType.SPOT : ClusterType.ON_DEMAND;
        }
        // hysteresis: stay on on-demand until two restart overheads ahead of the line
        if (env.clusterType() == ClusterType.ON_DEMAND && (t + 2 * overhead) * duration / deadline - done >= 0) {
            decision = ClusterType.ON_DEMAND;
        }
        // safety net: the deadline cannot be met any other way
        if (Math.ceil((workLeft + overhead) / gap) >= Math.floor((deadline - t) / gap)) {
            return ClusterType.ON_DEMAND;
        }
        // spot is cheap enough to take the risk even against the hysteresis
        if (hasSpot) {
            return ClusterType.SPOT;
        }
        return decision;
    }
    // EVOLVE-BLOCK-END
}
