import io.galapagos.simulators.cloudcast.BroadcastPlanner;
import io.galapagos.simulators.cloudcast.BroadcastRequest;
import io.galapagos.simulators.cloudcast.CloudGraph;
import io.galapagos.simulators.cloudcast.Link;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The ADRS seed: for every destination the cheapest path by egress price (Dijkstra, never re-entering
 * the source), and every partition takes that path.
 */
public class CheapestPathBroadcast implements BroadcastPlanner {
    // EVOLVE-BLOCK-START
    /** A queue entry: distance, then insertion order, so that equal distances pop first-in first-out. */
    private record Entry(double distance, long order, String node) {
    }

    @Override
    public Map<String, List<List<String>>> plan(BroadcastRequest request, CloudGraph graph) {
        Map<String, List<List<String>>> paths = new LinkedHashMap<>();
        for (String dst : request.destinations()) {
            List<String> path = cheapestPath(graph, request.source(), dst);
            List<List<String>> perPartition = new ArrayList<>();
            for (int p = 0; p < request.partitions(); p++) {
                perPartition.add(path);
            }
            paths.put(dst, perPartition);
        }
        return paths;
    }

    private static List<String> cheapestPath(CloudGraph graph, String source, String target) {
        if (source.equals(target)) {
            return List.of(source);
        }
        Map<String, Double> finalDistance = new HashMap<>();
        Map<String, Double> best = new HashMap<>();
        Map<String, String> predecessor = new HashMap<>();
        PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.distance() != b.distance()
                ? Double.compare(a.distance(), b.distance()) : Long.compare(a.order(), b.order()));
        long order = 0;
        best.put(source, 0.0);
        queue.add(new Entry(0.0, order++, source));
        while (!queue.isEmpty()) {
            Entry entry = queue.poll();
            String v = entry.node();
            if (finalDistance.containsKey(v)) {
                continue;
            }
            finalDistance.put(v, entry.distance());
            if (v.equals(target)) {
                break;
            }
            for (Link link : graph.links(v)) {
                String u = link.to();
                if (u.equals(source) || u.equals(v)) {
                    continue;
                }
                double du = entry.distance() + link.costPerGb();
                if (finalDistance.containsKey(u)) {
                    continue;
                }
                Double known = best.get(u);
                if (known == null || du < known) {
                    best.put(u, du);
                    queue.add(new Entry(du, order++, u));
                    predecessor.put(u, v);
                }
            }
        }
        if (!finalDistance.containsKey(target)) {
            throw new IllegalStateException("no path from " + source + " to " + target);
        }
        List<String> path = new ArrayList<>();
        path.add(target);
        while (predecessor.containsKey(path.get(path.size() - 1))) {
            path.add(predecessor.get(path.get(path.size() - 1)));
        }
        Collections.reverse(path);
        return path;
    }
    // EVOLVE-BLOCK-END
}
