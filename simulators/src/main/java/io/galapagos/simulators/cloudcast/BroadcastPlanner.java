package io.galapagos.simulators.cloudcast;

import java.util.List;
import java.util.Map;

/** A candidate of {@code cloudcast}: chooses the overlay paths of a multi-cloud broadcast. */
public interface BroadcastPlanner {

    /**
     * For every destination of the request, one path per partition ({@code paths.get(dst).get(p)} for
     * {@code p = 0 .. partitions-1}): the regions from the source to the destination, each
     * consecutive pair a link of the graph.
     */
    Map<String, List<List<String>>> plan(BroadcastRequest request, CloudGraph graph);
}
