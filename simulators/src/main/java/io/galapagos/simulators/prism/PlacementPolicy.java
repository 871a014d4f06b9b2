package io.galapagos.simulators.prism;

import java.util.List;
import java.util.Map;

/** A candidate of {@code prism}: places every model on one GPU. */
public interface PlacementPolicy {

    /** Memory of every GPU, GB. */
    int GPU_MEMORY_GB = 80;

    /**
     * GPU id ({@code 0 .. gpuCount-1}) to the models it serves. Every input model exactly once, at
     * most {@link #GPU_MEMORY_GB} GB per GPU; GPUs left out serve nothing.
     */
    Map<Integer, List<Model>> place(int gpuCount, List<Model> models);
}
