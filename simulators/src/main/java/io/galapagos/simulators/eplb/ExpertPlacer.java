package io.galapagos.simulators.eplb;

/** An expert-parallel load balancer: the candidate interface of the eplb task. */
public interface ExpertPlacer {

    /**
     * Places the experts of every MoE layer for the next window.
     *
     * @param load  {@code [layer][expert]}: tokens each logical expert received in the last window
     *              (a copy: yours to modify)
     * @param shape slots, expert groups, nodes and GPUs of the deployment
     * @return the placement; it is scored on the loads of the next window
     */
    Placement rebalance(long[][] load, ClusterShape shape);
}
