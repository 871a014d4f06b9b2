package io.galapagos.simulators.eplb;

/**
 * The expert-parallel deployment: physical expert slots spread evenly over GPUs, GPUs over nodes,
 * and the logical experts in equal groups (DeepSeek-V3: 288 slots, 8 groups, 4 nodes, 32 GPUs).
 * Slot {@code s} lives on GPU {@code s / slotsPerGpu()}, GPU {@code g} on node {@code g / gpusPerNode()}.
 */
public record ClusterShape(int slots, int groups, int nodes, int gpus) {

    public static final ClusterShape DEEPSEEK_V3 = new ClusterShape(288, 8, 4, 32);

    public int slotsPerGpu() {
        return slots / gpus;
    }

    public int gpusPerNode() {
        return gpus / nodes;
    }
}
