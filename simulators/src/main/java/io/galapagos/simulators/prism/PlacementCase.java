package io.galapagos.simulators.prism;

import java.util.List;

/**
 * One placement problem.
 *
 * @param index    position in its split, 0-based
 * @param gpuCount number of GPUs
 * @param models   the models to place, names unique
 */
public record PlacementCase(int index, int gpuCount, List<Model> models) {
    public PlacementCase {
        models = List.copyOf(models);
    }
}
