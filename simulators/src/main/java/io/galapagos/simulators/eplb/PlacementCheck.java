package io.galapagos.simulators.eplb;

import java.util.ArrayList;
import java.util.List;

/**
 * The hardened evaluator's checks (eplb.md E3.2) plus consistency: every slot holds one expert,
 * each expert's listed slots are distinct slots that really hold it, counts sum to the slot count,
 * and every expert with load in the scored window has a replica.
 */
final class PlacementCheck {

    private static final int MAX_REPORTED = 8;

    private PlacementCheck() {
    }

    /**
     * A deep copy of what the candidate returned ({@code null} parts stay {@code null}), so that the
     * placement that is checked, scored and named in the feedback is one the candidate cannot change.
     */
    static Placement copy(Placement p) {
        if (p == null) {
            return null;
        }
        int[][][] expertSlots = p.expertSlots() == null ? null : new int[p.expertSlots().length][][];
        for (int l = 0; expertSlots != null && l < expertSlots.length; l++) {
            expertSlots[l] = copy(p.expertSlots()[l]);
        }
        return new Placement(copy(p.slotExperts()), expertSlots, copy(p.replicaCounts()));
    }

    private static int[][] copy(int[][] rows) {
        if (rows == null) {
            return null;
        }
        int[][] result = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            result[i] = rows[i] == null ? null : rows[i].clone();
        }
        return result;
    }

    static List<String> violations(Placement p, long[][] nextLoad, ClusterShape shape) {
        List<String> problems = new ArrayList<>();
        int layers = nextLoad.length;
        int experts = nextLoad[0].length;
        int slots = shape.slots();
        if (p == null || p.slotExperts() == null || p.expertSlots() == null || p.replicaCounts() == null) {
            problems.add("rebalance returned null or a Placement with a null part");
            return problems;
        }
        if (p.slotExperts().length != layers || p.expertSlots().length != layers || p.replicaCounts().length != layers) {
            problems.add("the placement must have " + layers + " layers in slotExperts, expertSlots and replicaCounts");
            return problems;
        }
        for (int l = 0; l < layers && problems.size() < MAX_REPORTED; l++) {
            checkLayer(p, nextLoad[l], l, experts, slots, problems);
        }
        return problems.size() > MAX_REPORTED ? new ArrayList<>(problems.subList(0, MAX_REPORTED)) : problems;
    }

    private static void checkLayer(Placement p, long[] next, int l, int experts, int slots, List<String> problems) {
        int[] slotExpert = p.slotExperts()[l];
        int[] counts = p.replicaCounts()[l];
        int[][] expertSlots = p.expertSlots()[l];
        if (slotExpert == null || slotExpert.length != slots) {
            problems.add("layer " + l + ": slotExperts must have " + slots + " slots");
            return;
        }
        if (counts == null || counts.length != experts || expertSlots == null || expertSlots.length != experts) {
            problems.add("layer " + l + ": replicaCounts and expertSlots must have " + experts + " experts");
            return;
        }
        long total = 0;
        for (int e = 0; e < experts; e++) {
            if (counts[e] < 0) {
                problems.add("layer " + l + ": expert " + e + " has a negative replica count " + counts[e]);
                return;
            }
            total += counts[e];
            if (counts[e] == 0 && next[e] > 0) {
                problems.add("layer " + l + ": expert " + e + " has no replica but receives " + next[e] + " tokens");
            }
        }
        if (total != slots) {
            problems.add("layer " + l + ": replica counts sum to " + total + ", not to the " + slots + " slots");
            return;
        }
        for (int s = 0; s < slots; s++) {
            if (slotExpert[s] < 0 || slotExpert[s] >= experts) {
                problems.add("layer " + l + ": slot " + s + " holds expert " + slotExpert[s] + ", outside 0.." + (experts - 1));
                return;
            }
        }
        boolean[] listed = new boolean[slots];
        for (int e = 0; e < experts; e++) {
            int[] list = expertSlots[e];
            if (list == null || list.length < counts[e]) {
                problems.add("layer " + l + ": expert " + e + " lists fewer slots than its " + counts[e] + " replicas");
                return;
            }
            for (int k = 0; k < list.length; k++) {
                int s = list[k];
                if (k >= counts[e]) {
                    if (s != -1) {
                        problems.add("layer " + l + ": expert " + e + " entry " + k + " beyond its replicas must be -1, is " + s);
                        return;
                    }
                    continue;
                }
                if (s < 0 || s >= slots || listed[s] || slotExpert[s] != e) {
                    problems.add("layer " + l + ": expert " + e + " replica " + k + " names slot " + s
                            + ", which is out of range, listed twice or holds another expert");
                    return;
                }
                listed[s] = true;
            }
        }
    }
}
