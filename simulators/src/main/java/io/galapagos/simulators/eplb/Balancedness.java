package io.galapagos.simulators.eplb;

/**
 * How evenly a placement spreads the next window's tokens (eplb.md E3.3): each expert's load is
 * split equally over its replicas; per slot and per GPU, Σ_layers mean / Σ_layers max. Double
 * precision (the original accumulates in float32; the difference is below 2e-7 per window).
 */
record Balancedness(double perSlot, double perGpu) {

    static Balancedness of(Placement placement, long[][] nextLoad, ClusterShape shape) {
        int slots = shape.slots();
        int perGpu = shape.slotsPerGpu();
        double slotMeans = 0;
        double slotMaxima = 0;
        double gpuMeans = 0;
        double gpuMaxima = 0;
        for (int l = 0; l < nextLoad.length; l++) {
            double[] slot = new double[slots];
            for (int e = 0; e < nextLoad[l].length; e++) {
                long x = nextLoad[l][e];
                int c = placement.replicaCounts()[l][e];
                if (x <= 0 || c <= 0) {
                    continue;
                }
                double share = (double) x / c;
                for (int k = 0; k < c; k++) {
                    slot[placement.expertSlots()[l][e][k]] += share;
                }
            }
            double sum = 0;
            double max = 0;
            double[] gpu = new double[shape.gpus()];
            for (int s = 0; s < slots; s++) {
                sum += slot[s];
                max = Math.max(max, slot[s]);
                gpu[s / perGpu] += slot[s];
            }
            slotMeans += sum / slots;
            slotMaxima += max;
            double gpuSum = 0;
            double gpuMax = 0;
            for (double g : gpu) {
                gpuSum += g;
                gpuMax = Math.max(gpuMax, g);
            }
            gpuMeans += gpuSum / gpu.length;
            gpuMaxima += gpuMax;
        }
        return new Balancedness(slotMaxima > 0 ? slotMeans / slotMaxima : 0.0, gpuMaxima > 0 ? gpuMeans / gpuMaxima : 0.0);
    }
}
