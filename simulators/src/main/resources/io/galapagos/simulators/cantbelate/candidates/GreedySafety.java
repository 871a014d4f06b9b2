import io.galapagos.simulators.cantbelate.ClusterType;
import io.galapagos.simulators.cantbelate.SpotEnv;
import io.galapagos.simulators.cantbelate.SpotStrategy;

/**
 * Greedy safety: ride spot whenever it is available and wait otherwise, until the deadline forces
 * on-demand. Times are counted in whole ticks; equality counts as unsafe.
 */
public class GreedySafety implements SpotStrategy {
    // EVOLVE-BLOCK-START
    @Override
    public ClusterType step(SpotEnv env, ClusterType lastClusterType, boolean hasSpot) {
        double gap = env.gapSeconds();
        double workLeft = env.taskDurationSeconds() - env.workDoneSeconds();
        if (workLeft <= 1e-9) {
            return ClusterType.NONE;
        }
        double overhead = env.restartOverheadSeconds();
        double ticksLeft = Math.max(0, Math.floor((env.deadlineSeconds() - env.elapsedSeconds()) / gap));
        double ticksNeeded = Math.ceil((workLeft + overhead) / gap);
        double ticksNeededWithRestart = Math.ceil((workLeft + 2 * overhead) / gap);

        // point of no return: only on-demand still finishes in time
        if (ticksNeeded >= ticksLeft) {
            return ClusterType.ON_DEMAND;
        }
        // one more preemption would be fatal: keep a productive spot, otherwise go on-demand
        if (ticksNeededWithRestart >= ticksLeft) {
            return env.clusterType() == ClusterType.SPOT && hasSpot ? ClusterType.SPOT : ClusterType.ON_DEMAND;
        }
        return hasSpot ? ClusterType.SPOT : ClusterType.NONE;
    }
    // EVOLVE-BLOCK-END
}
