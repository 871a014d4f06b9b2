package io.galapagos.simulators.eplb;

/**
 * Where each layer's experts run (the original's {@code phy2log}, {@code log2phy}, {@code logcnt}).
 *
 * @param slotExperts   {@code [layer][slot]}: the logical expert held by each physical slot
 * @param expertSlots   {@code [layer][expert][k]}: the slot of replica {@code k} of the expert, for
 *                      {@code k < replicaCounts[layer][expert]}; any further entries are -1
 * @param replicaCounts {@code [layer][expert]}: how many slots hold the expert (they sum to the slot count)
 */
public record Placement(int[][] slotExperts, int[][][] expertSlots, int[][] replicaCounts) {
}
