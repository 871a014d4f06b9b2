import io.galapagos.simulators.eplb.ClusterShape;
import io.galapagos.simulators.eplb.ExpertPlacer;
import io.galapagos.simulators.eplb.Placement;

import java.util.Arrays;

/**
 * DeepSeek's hierarchical expert-parallel load balancer (EPLB, as ported to vLLM): pack expert
 * groups onto nodes, replicate the hottest experts inside each node, pack the replicas onto the
 * node's GPUs. Loads in single precision, as the original.
 */
public class HierarchicalEplb implements ExpertPlacer {

    // EVOLVE-BLOCK-START
    @Override
    public Placement rebalance(long[][] load, ClusterShape shape) {
        int layers = load.length;
        int experts = load[0].length;
        int slots = shape.slots();
        boolean hierarchical = shape.groups() % shape.nodes() == 0;
        int groups = hierarchical ? shape.groups() : 1;
        int nodes = hierarchical ? shape.nodes() : 1;
        int[][] slotExperts = new int[layers][slots];
        int[][] replicaCounts = new int[layers][experts];
        int[][][] expertSlots = new int[layers][experts][slots - experts + 1];
        for (int l = 0; l < layers; l++) {
            float[] w = new float[experts];
            for (int e = 0; e < experts; e++) {
                w[e] = (float) load[l][e];
            }
            int[] rank = new int[slots];
            layer(w, slots, groups, nodes, shape.gpus(), slotExperts[l], rank, replicaCounts[l]);
            for (int[] list : expertSlots[l]) {
                Arrays.fill(list, -1);
            }
            for (int s = 0; s < slots; s++) {
                expertSlots[l][slotExperts[l][s]][rank[s]] = s;
            }
        }
        return new Placement(slotExperts, expertSlots, replicaCounts);
    }

    private static void layer(float[] w, int slots, int groups, int nodes, int gpus,
                              int[] slotExpert, int[] slotRank, int[] count) {
        int experts = w.length;
        int groupSize = experts / groups;
        int groupsPerNode = groups / nodes;
        int expertsPerNode = experts / nodes;
        int slotsPerNode = slots / nodes;
        int gpusPerNode = gpus / nodes;
        int slotsPerGpu = slots / gpus;

        float[] groupLoad = new float[groups];
        for (int g = 0; g < groups; g++) {
            float sum = 0f;
            for (int j = 0; j < groupSize; j++) {
                sum += w[g * groupSize + j];
            }
            groupLoad[g] = sum;
        }
        int[] groupPack = new int[groups];
        int[] groupRank = new int[groups];
        pack(groupLoad, nodes, groupPack, groupRank);
        int[] inverse = new int[experts]; // node-local numbering -> logical expert
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < groupSize; j++) {
                inverse[(groupPack[g] * groupsPerNode + groupRank[g]) * groupSize + j] = g * groupSize + j;
            }
        }
        for (int n = 0; n < nodes; n++) {
            float[] x = new float[expertsPerNode];
            for (int m = 0; m < expertsPerNode; m++) {
                x[m] = w[inverse[n * expertsPerNode + m]];
            }
            int[] replicaExpert = new int[slotsPerNode];
            int[] replicaRank = new int[slotsPerNode];
            int[] cnt = new int[expertsPerNode];
            replicate(x, slotsPerNode, replicaExpert, replicaRank, cnt);
            float[] y = new float[slotsPerNode];
            for (int j = 0; j < slotsPerNode; j++) {
                y[j] = x[replicaExpert[j]] / (float) cnt[replicaExpert[j]];
            }
            int[] gpu = new int[slotsPerNode];
            int[] position = new int[slotsPerNode];
            pack(y, gpusPerNode, gpu, position);
            for (int j = 0; j < slotsPerNode; j++) {
                int s = n * slotsPerNode + gpu[j] * slotsPerGpu + position[j];
                slotExpert[s] = inverse[n * expertsPerNode + replicaExpert[j]];
                slotRank[s] = replicaRank[j];
            }
            for (int m = 0; m < expertsPerNode; m++) {
                count[inverse[n * expertsPerNode + m]] = cnt[m];
            }
        }
    }

    /** Items by weight descending (ties by index) into the lightest pack that still has room. */
    private static void pack(float[] x, int packs, int[] pack, int[] rank) {
        int n = x.length;
        int perPack = n / packs;
        if (perPack == 1) {
            for (int i = 0; i < n; i++) {
                pack[i] = i;
                rank[i] = 0;
            }
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(x[b], x[a]));
        float[] load = new float[packs];
        int[] count = new int[packs];
        for (int i : order) {
            int best = -1;
            for (int q = 0; q < packs; q++) {
                if (count[q] < perPack && (best < 0 || load[q] < load[best])) {
                    best = q;
                }
            }
            pack[i] = best;
            rank[i] = count[best];
            load[best] = load[best] + x[i];
            count[best]++;
        }
    }

    /** Each extra slot goes to the expert with the highest load per replica (lowest index on ties). */
    private static void replicate(float[] x, int slots, int[] slotExpert, int[] slotRank, int[] cnt) {
        int n = x.length;
        for (int j = 0; j < n; j++) {
            slotExpert[j] = j;
            slotRank[j] = 0;
            cnt[j] = 1;
        }
        for (int j = n; j < slots; j++) {
            int best = 0;
            float bestLoad = x[0] / (float) cnt[0];
            for (int e = 1; e < n; e++) {
                float perReplica = x[e] / (float) cnt[e];
                if (perReplica > bestLoad) {
                    best = e;
                    bestLoad = perReplica;
                }
            }
            slotExpert[j] = best;
            slotRank[j] = cnt[best];
            cnt[best]++;
        }
    }
    // EVOLVE-BLOCK-END
}
