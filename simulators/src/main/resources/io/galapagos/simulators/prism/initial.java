import io.galapagos.simulators.prism.Model;
import io.galapagos.simulators.prism.PlacementPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy placement, the ADRS seed: models in decreasing weighted rate (rate / SLO), each on the GPU
 * that has room for it and the smallest current weighted rate per free GB (lowest id on ties).
 */
public class GreedyPlacement implements PlacementPolicy {
    // EVOLVE-BLOCK-START
    @Override
    public Map<Integer, List<Model>> place(int gpuCount, List<Model> models) {
        List<Model> order = new ArrayList<>(models);
        order.sort((a, b) -> Double.compare((double) b.requestRate() / b.slo(), (double) a.requestRate() / a.slo()));
        int[] free = new int[gpuCount];
        double[] weighted = new double[gpuCount];
        Map<Integer, List<Model>> placement = new LinkedHashMap<>();
        for (int g = 0; g < gpuCount; g++) {
            free[g] = GPU_MEMORY_GB;
            placement.put(g, new ArrayList<>());
        }
        for (Model m : order) {
            int best = -1;
            double bestRatio = Double.POSITIVE_INFINITY;
            for (int g = 0; g < gpuCount; g++) {
                if (m.sizeGb() <= free[g] && free[g] > 0) {
                    double ratio = weighted[g] / free[g];
                    if (ratio < bestRatio) {
                        bestRatio = ratio;
                        best = g;
                    }
                }
            }
            if (best < 0) {
                throw new IllegalStateException("no GPU has room for " + m.name());
            }
            placement.get(best).add(m);
            weighted[best] = weighted[best] + (double) m.requestRate() / m.slo();
            free[best] -= m.sizeGb();
        }
        return placement;
    }
    // EVOLVE-BLOCK-END
}
